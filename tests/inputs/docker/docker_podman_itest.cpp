// The Docker input against a real engine: podman serving the Docker API.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "tests/support/agent_process.h"
#include "tests/support/container_engine.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;

struct Doc {
  std::string message, stream, container, image, app, task, team;
  int64_t timestamp_ns_ms = 0;
};

std::vector<rapidjson::Document> read_ndjson(const std::string& path) {
  std::vector<rapidjson::Document> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    if (!d.HasParseError()) out.push_back(std::move(d));
  }
  return out;
}

const char* get(const rapidjson::Value& v, std::initializer_list<const char*> path) {
  const rapidjson::Value* cur = &v;
  for (const char* k : path) {
    if (!cur->IsObject() || !cur->HasMember(k)) return "";
    cur = &(*cur)[k];
  }
  return cur->IsString() ? cur->GetString() : "";
}

class DockerInput : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(engine_.start()); }

  void configure(const std::string& extra = "") {
    out_ = agent_.dir() + "/out.ndjson";
    agent_.write_config("[agent]\nhostname = \"node-7\"\ndata_dir = \"" + agent_.dir() +
                        "\"\n"
                        "[api]\nlisten = \"127.0.0.1:0\"\n"
                        "[inputs.docker]\ntype = \"docker\"\nsocket = \"" +
                        engine_.socket() +
                        "\"\n"
                        "labels = [\"team\"]\n" +
                        extra + "[outputs.file]\ntype = \"file\"\npath = \"" + out_ + "\"\n");
  }

  // Waits until the output holds n records whose message starts with `prefix`.
  size_t wait_for(const std::string& prefix, size_t n, std::chrono::milliseconds timeout = 20s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    size_t seen = 0;
    do {
      seen = 0;
      for (const auto& d : read_ndjson(out_))
        seen += std::string(get(d, {"message"})).rfind(prefix, 0) == 0;
      if (seen >= n) return seen;
      std::this_thread::sleep_for(50ms);  // polling the output file
    } while (std::chrono::steady_clock::now() < deadline);
    return seen;
  }

  ContainerEngine engine_;
  AgentProcess agent_;
  std::string out_;
};

TEST_F(DockerInput, LinesArriveWithStreamAndMarathonMetadata) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  const auto t0 = std::chrono::steady_clock::now();
  const std::string id =
      engine_.run({"web-1",
                   "echo out-a; echo err-a >&2; echo out-b; sleep 60",
                   {{"MARATHON_APP_ID", "/shop/web"}, {"MESOS_TASK_ID", "shop_web.42"}},
                   {{"team", "shop"}}});
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(wait_for("out-", 2) + wait_for("err-", 1), 3u) << agent_.log();
  const double latency =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("[ numbers  ] first lines at the output %.3f s after podman run\n", latency);
  EXPECT_LT(latency, 5.0);
  std::map<std::string, std::string> stream_of;
  for (const auto& d : read_ndjson(out_)) {
    const std::string msg = get(d, {"message"});
    stream_of[msg] = get(d, {"stream"});
    EXPECT_STREQ(get(d, {"container", "name"}), "web-1");
    EXPECT_STREQ(get(d, {"container", "id"}), id.c_str());
    EXPECT_STREQ(get(d, {"container", "image", "name"}), "localhost/local/busybox:latest");
    EXPECT_STREQ(get(d, {"container", "labels", "team"}), "shop");
    EXPECT_STREQ(get(d, {"marathon", "app_id"}), "/shop/web");
    EXPECT_STREQ(get(d, {"mesos", "task_id"}), "shop_web.42");
    EXPECT_STREQ(get(d, {"host", "name"}), "node-7");
  }
  EXPECT_EQ(stream_of["out-a"], "stdout");
  EXPECT_EQ(stream_of["err-a"], "stderr");
  EXPECT_EQ(stream_of["out-b"], "stdout");
  EXPECT_EQ(agent_.stop(), 0);
}

TEST_F(DockerInput, ExcludedContainersAreSkipped) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run({"quiet", "echo should-not-appear; sleep 60", {}, {{"sluice.exclude", "true"}}});
  engine_.run({"legacy", "echo also-not; sleep 60", {{"LOGSPOUT", "ignore"}}, {}});
  engine_.run({"loud", "echo visible; sleep 60", {}, {}});
  ASSERT_EQ(wait_for("visible", 1), 1u) << agent_.log();
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(wait_for("should-not", 1, 0ms) + wait_for("also-not", 1, 0ms), 0u);
}

TEST_F(DockerInput, BurstThenExitLosesNothingAndLongLinesAreJoined) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run({"burst",
               "i=1; while [ $i -le 5000 ]; do echo \"burst $i\"; i=$((i+1)); done; "
               "head -c 20000 /dev/zero | tr '\\0' a; echo; exit 0",
               {},
               {}});
  EXPECT_EQ(wait_for("burst ", 5000), 5000u) << agent_.log();
  EXPECT_EQ(wait_for(std::string(20000, 'a'), 1), 1u);
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(wait_for("burst ", 5001, 0ms), 5000u);  // each line exactly once
}

TEST_F(DockerInput, TtyContainersAreRead) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run({"tty", "echo tty-line-1; echo tty-line-2; sleep 60", {}, {}, true});
  EXPECT_EQ(wait_for("tty-line-", 2), 2u) << agent_.log();
  for (const auto& d : read_ndjson(out_)) {
    const std::string msg = get(d, {"message"});
    EXPECT_TRUE(msg == "tty-line-1" || msg == "tty-line-2") << msg;  // no "\r" left over
  }
  EXPECT_EQ(agent_.stop(), 0);
}

}  // namespace
}  // namespace sluice::test
