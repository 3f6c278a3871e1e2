#include "agent/http/curl_multi.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <vector>

#include "agent/http/http_server.h"

namespace sluice::http {
namespace {

size_t append(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

class CurlMultiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    uv_loop_init(&loop_);
    server_ =
        std::make_unique<Server>(&loop_, [this](const Request& r, const Server::StreamStarter&) {
          ++requests_;
          return std::make_unique<Response>(
              Response{200, "text/plain", "path=" + r.path + " q=" + r.param("q")});
        });
    std::string error;
    ASSERT_TRUE(server_->listen("127.0.0.1:0", error)) << error;
    multi_ = std::make_unique<CurlMulti>(&loop_);
  }
  void TearDown() override {
    multi_.reset();
    server_.reset();
    uv_run(&loop_, UV_RUN_NOWAIT);
    uv_loop_close(&loop_);
  }

  CURL* get(const std::string& path, std::string& body) {
    CURL* e = curl_easy_init();
    const std::string url = "http://127.0.0.1:" + std::to_string(server_->port()) + path;
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &body);
    return e;
  }

  // Runs the loop until cond holds, at most 5 s of loop turns.
  bool run_until(const std::function<bool()>& cond) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!cond() && std::chrono::steady_clock::now() < deadline) uv_run(&loop_, UV_RUN_ONCE);
    return cond();
  }

  uv_loop_t loop_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<CurlMulti> multi_;
  int requests_ = 0;
};

TEST_F(CurlMultiTest, RunsConcurrentTransfersOnTheLoop) {
  constexpr int kN = 20;
  std::vector<std::string> bodies(kN);
  std::vector<CURL*> easies;
  int done = 0;
  for (int i = 0; i < kN; ++i) {
    easies.push_back(get("/item?q=" + std::to_string(i), bodies[i]));
    multi_->add(easies.back(), [&done](CURLcode rc) {
      EXPECT_EQ(rc, CURLE_OK);
      ++done;
    });
  }
  ASSERT_TRUE(run_until([&] { return done == kN; }));
  for (int i = 0; i < kN; ++i) EXPECT_EQ(bodies[i], "path=/item q=" + std::to_string(i));
  EXPECT_EQ(multi_->running(), 0u);
  for (CURL* e : easies) curl_easy_cleanup(e);
}

TEST_F(CurlMultiTest, ReportsAFailedConnection) {
  std::string body;
  CURL* e = curl_easy_init();
  curl_easy_setopt(e, CURLOPT_URL, "http://127.0.0.1:1/");
  CURLcode result = CURLE_OK;
  bool finished = false;
  multi_->add(e, [&](CURLcode rc) {
    result = rc;
    finished = true;
  });
  ASSERT_TRUE(run_until([&] { return finished; }));
  EXPECT_EQ(result, CURLE_COULDNT_CONNECT);
  curl_easy_cleanup(e);
}

TEST_F(CurlMultiTest, CancelledTransfersNeverCallBack) {
  std::string body;
  CURL* e = get("/", body);
  bool called = false;
  multi_->add(e, [&](CURLcode) { called = true; });
  multi_->cancel_and_free(e);
  std::string other;
  CURL* e2 = get("/after", other);
  bool finished = false;
  multi_->add(e2, [&](CURLcode) { finished = true; });
  ASSERT_TRUE(run_until([&] { return finished; }));
  EXPECT_FALSE(called);
  EXPECT_EQ(other, "path=/after q=");
  curl_easy_cleanup(e2);
}

// The Docker input starts requests from inside a streaming response's write callback, where
// curl refuses API calls: the add must be deferred, not lost.
TEST_F(CurlMultiTest, TransfersAddedFromInsideACallbackRun) {
  std::string first, second;
  CURL* e2 = get("/second", second);
  CURL* e1 = get("/first", first);
  bool added = false, finished = false;
  struct Ctx {
    CurlMulti* multi;
    CURL* next;
    bool* added;
    bool* finished;
    std::string* body;
  } ctx{multi_.get(), e2, &added, &finished, &first};
  curl_easy_setopt(e1, CURLOPT_WRITEDATA, &ctx);
  curl_easy_setopt(
      e1, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* ud) {
        auto* c = static_cast<Ctx*>(ud);
        c->body->append(p, s * n);
        if (!*c->added) {
          *c->added = true;
          c->multi->add(c->next, [f = c->finished](CURLcode rc) {
            EXPECT_EQ(rc, CURLE_OK);
            *f = true;
          });
        }
        return s * n;
      });
  multi_->add(e1, [](CURLcode) {});
  ASSERT_TRUE(run_until([&] { return finished; }));
  EXPECT_EQ(second, "path=/second q=");
  curl_easy_cleanup(e1);
  curl_easy_cleanup(e2);
}

}  // namespace
}  // namespace sluice::http
