#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "agent/api/api.h"
#include "agent/api/tail.h"
#include "tests/support/prometheus_text.h"

namespace sluice::api {
namespace {

// An output that delivers what it is told to, so a test controls every count.
class ScriptedOutput final : public Output {
 public:
  using Output::Output;
  void start() override {}
  void wake() override {}
  void close() override {}
  uint64_t in_flight() const override { return held_; }
  void take(size_t n) {
    held_ += read(n, [](const Record&) {});
  }
  void deliver(size_t n) {
    delivered(n);
    held_ -= n;
  }
  void drop(size_t n, const char* reason) {
    dropped(n, reason);
    held_ -= n;
  }
  void fail(const std::string& why) { failing(why); }
  void ok() { healthy(); }
  void latency(double s) { observe_latency(s); }

 private:
  uint64_t held_ = 0;
};

class Pages : public ::testing::Test, public AgentState {
 protected:
  void SetUp() override {
    uv_loop_init(&loop_);
    config::Diagnostics diag;
    config_ = *config::load_config(
        "[api]\nhealth_failing_after = \"1s\"\n[inputs.in]\ntype = \"devlog\"\n"
        "[outputs.out]\ntype = \"console\"\n"
        "[outputs.central]\ntype = \"syslog\"\naddress = \"tcp://h:1\"\n",
        "t.toml", catalog(), config::getenv_lookup, diag);
    output_ = std::make_unique<ScriptedOutput>("out", ctx_);
  }
  void TearDown() override {
    output_.reset();
    uv_loop_close(&loop_);
  }
  static config::Catalog catalog();

  std::vector<std::pair<std::string, const Input*>> inputs() const override { return {}; }
  std::vector<std::pair<std::string, const Output*>> outputs() const override {
    return {{"out", output_.get()}};
  }
  const RingBuffer& buffer() const override { return buffer_; }
  const config::Config& config() const override { return config_; }
  const std::string& hostname() const override { return host_; }

  void push(int n) {
    Record r;
    r.message = "m";
    for (int i = 0; i < n; ++i) buffer_.push(r, nullptr);
  }

  uv_loop_t loop_;
  RingBuffer buffer_{1 << 20, WhenFull::drop_newest};
  AgentContext ctx_{&loop_, &buffer_, "node-7", ""};
  config::Config config_;
  std::string host_ = "node-7";
  std::unique_ptr<ScriptedOutput> output_;
};

}  // namespace
}  // namespace sluice::api

#include "agent/agent.h"

namespace sluice::api {
namespace {

config::Catalog Pages::catalog() { return sluice::catalog(); }

TEST_F(Pages, MetricsParseAndMatchTheCounts) {
  push(10);
  output_->take(8);
  output_->deliver(5);
  output_->drop(2, "too_large");
  output_->latency(0.003);
  auto page = metrics_page(*this, 0);
  EXPECT_EQ(page.status, 200);
  auto m = test::parse_prometheus(page.body);
  ASSERT_EQ(m.error, "");
  EXPECT_EQ(m.types["sluice_output_delivered_total"], "counter");
  EXPECT_EQ(m.get("sluice_output_received_total{output=\"out\"}"), 10);
  EXPECT_EQ(m.get("sluice_output_delivered_total{output=\"out\"}"), 5);
  EXPECT_EQ(m.get("sluice_output_dropped_total{output=\"out\",reason=\"too_large\"}"), 2);
  EXPECT_EQ(m.get("sluice_output_buffered_records{output=\"out\"}"), 3);  // 2 unread + 1 held
  EXPECT_EQ(m.get("sluice_output_in_flight_records{output=\"out\"}"), 1);
  EXPECT_EQ(m.get("sluice_output_request_duration_seconds_bucket{output=\"out\",le=\"0.001\"}"), 0);
  EXPECT_EQ(m.get("sluice_output_request_duration_seconds_bucket{output=\"out\",le=\"0.005\"}"), 1);
  EXPECT_EQ(m.get("sluice_output_request_duration_seconds_count{output=\"out\"}"), 1);
  EXPECT_EQ(m.get("sluice_buffer_capacity_bytes"), 1 << 20);
  EXPECT_GT(*m.get("sluice_process_resident_memory_bytes"), 0);
  // The accounting identity, from the page alone.
  EXPECT_EQ(*m.get("sluice_output_received_total{output=\"out\"}"),
            *m.get("sluice_output_delivered_total{output=\"out\"}") +
                *m.get("sluice_output_dropped_total{output=\"out\",reason=\"too_large\"}") +
                *m.get("sluice_output_buffered_records{output=\"out\"}"));
}

TEST_F(Pages, HealthTurns503OnlyAfterTheThreshold) {
  uv_update_time(&loop_);
  const uint64_t t0 = uv_now(&loop_);
  EXPECT_EQ(health_page(*this, t0).status, 200);
  output_->fail("connection refused");
  auto retrying = health_page(*this, t0 + 500);
  EXPECT_EQ(retrying.status, 200);
  EXPECT_NE(retrying.body.find("\"retrying\""), std::string::npos);
  auto failing = health_page(*this, t0 + 1500);
  EXPECT_EQ(failing.status, 503);
  rapidjson::Document d;
  d.Parse(failing.body.c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["status"].GetString(), "failing");
  EXPECT_STREQ(d["outputs"]["out"]["reason"].GetString(), "connection refused");
  output_->ok();
  EXPECT_EQ(health_page(*this, t0 + 2000).status, 200);
}

TEST_F(Pages, ConfigShowsEffectiveValuesAndRedactsSecrets) {
  config::Options::Value secret;
  secret.type = config::Type::string;
  secret.text = "hunter2";
  secret.secret = true;
  for (auto& c : config_.outputs) {
    if (c.name == "out") c.options.put("password", secret);
  }
  auto page = config_page(*this);
  rapidjson::Document d;
  d.Parse(page.body.c_str());
  ASSERT_FALSE(d.HasParseError()) << page.body;
  EXPECT_STREQ(d["outputs"]["out"]["password"].GetString(), "<redacted>");
  EXPECT_EQ(page.body.find("hunter2"), std::string::npos);
  EXPECT_STREQ(d["outputs"]["central"]["address"].GetString(), "tcp://h:1");
  EXPECT_STREQ(d["outputs"]["central"]["framing"].GetString(), "octet-counting");
  EXPECT_TRUE(d["outputs"]["central"]["tls"]["verify"].GetBool());
}

TEST_F(Pages, ConfigHidesPasswordsInUrlsAndLibrdkafkaCredentials) {
  config::Options::Value urls;
  urls.type = config::Type::strings;
  urls.list = {"https://elastic:pw-in-url@es-1:9200", "http://es-2:9200/a@b"};
  config::Options::Value librdkafka;
  librdkafka.type = config::Type::map;
  librdkafka.entries = {{"sasl.password", "sasl-pw"},
                        {"ssl.key.pem", "-----BEGIN PRIVATE KEY-----"},
                        {"sasl.oauthbearer.config", "clientSecret=oauth-pw"},
                        {"linger.ms", "5"}};
  for (auto& c : config_.outputs) {
    if (c.name != "out") continue;
    c.options.put("urls", urls);
    c.options.put("librdkafka", librdkafka);
  }
  auto page = config_page(*this);
  rapidjson::Document d;
  d.Parse(page.body.c_str());
  ASSERT_FALSE(d.HasParseError()) << page.body;
  const auto& out = d["outputs"]["out"];
  EXPECT_STREQ(out["urls"][0].GetString(), "https://elastic:<redacted>@es-1:9200");
  EXPECT_STREQ(out["urls"][1].GetString(), "http://es-2:9200/a@b");  // no user info: as it is
  EXPECT_STREQ(out["librdkafka"]["linger.ms"].GetString(), "5");
  for (const char* secret : {"pw-in-url", "sasl-pw", "PRIVATE KEY", "oauth-pw"}) {
    EXPECT_EQ(page.body.find(secret), std::string::npos) << secret << " in " << page.body;
  }
}

// A stream that records what it was sent and can pretend to be backed up.
class FakeStream : public http::Stream {
 public:
  void write(std::string_view chunk) override { text += chunk; }
  size_t queued_bytes() const override { return queued; }
  bool open() const override { return true; }
  std::string text;
  size_t queued = 0;
};

TEST(Tail, FiltersByAppAndSaysWhatASlowClientMissed) {
  TailHub hub("node-7");
  auto stream = std::make_shared<FakeStream>();
  hub.add(stream, TailFilter{"", "/x", "", ""});
  SourceMeta x, y;
  x.marathon_app_id = "/x";
  y.marathon_app_id = "/y";
  Record r;
  r.message = "from x";
  r.meta = &x;
  hub.offer(r);
  r.message = "from y";
  r.meta = &y;
  hub.offer(r);
  EXPECT_NE(stream->text.find("from x"), std::string::npos);
  EXPECT_EQ(stream->text.find("from y"), std::string::npos);
  stream->queued = TailHub::kMaxQueuedBytes + 1;
  r.meta = &x;
  r.message = "missed";
  hub.offer(r);
  hub.offer(r);
  stream->queued = 0;
  r.message = "after";
  hub.offer(r);
  EXPECT_EQ(stream->text.find("missed"), std::string::npos);
  EXPECT_NE(stream->text.find("{\"sluice_tail\":{\"dropped\":2"), std::string::npos);
  EXPECT_NE(stream->text.find("after"), std::string::npos);
}

}  // namespace
}  // namespace sluice::api
