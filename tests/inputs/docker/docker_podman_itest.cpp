// The Docker input against a real engine: podman serving the Docker API.
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <thread>

#include "tests/support/accounting.h"
#include "tests/support/agent_process.h"
#include "tests/support/container_engine.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/scratch_mount.h"
#include "tests/support/wait.h"

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

  void configure(const std::string& extra = "", const std::string& data_dir = "") {
    out_ = agent_.dir() + "/out.ndjson";
    agent_.write_config("[agent]\nhostname = \"node-7\"\ndata_dir = \"" +
                        (data_dir.empty() ? agent_.dir() : data_dir) +
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
    size_t seen = 0;
    wait_until(
        [&] {
          seen = 0;
          for (const auto& d : read_ndjson(out_))
            seen += std::string(get(d, {"message"})).rfind(prefix, 0) == 0;
          return seen >= n;
        },
        timeout, 50ms);
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

TEST_F(DockerInput, StackTracesAreJoinedByTheContainersMultilineLabel) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run(
      {"java",
       "echo 'Exception in thread main java.lang.IllegalStateException: boom'; "
       "printf '\\tat com.shop.Cart.add(Cart.java:42)\\n\\tat com.shop.Main.main(Main.java:7)\\n'; "
       "echo 'INFO next record'; sleep 60",
       {},
       {{"sluice.multiline.start_pattern", "^\\S"}}});
  ASSERT_EQ(wait_for("INFO next record", 1), 1u) << agent_.log();  // after the 1 s quiet timeout
  std::vector<std::string> messages;
  for (const auto& d : read_ndjson(out_)) messages.emplace_back(get(d, {"message"}));
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0],
            "Exception in thread main java.lang.IllegalStateException: boom\n"
            "\tat com.shop.Cart.add(Cart.java:42)\n\tat com.shop.Main.main(Main.java:7)");
  EXPECT_EQ(agent_.stop(), 0);
}

TEST_F(DockerInput, TailByMarathonAppShowsOnlyThatApp) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  std::string seen;
  std::atomic<bool> done{false};
  // A client of /tail?app=/x, reading until it has seen three records of /x.
  std::thread tail([&] {
    CURL* c = curl_easy_init();
    const std::string url =
        "http://127.0.0.1:" + std::to_string(agent_.api_port()) + "/tail?app=%2Fx";
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &seen);
    curl_easy_setopt(
        c, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* ud) -> size_t {
          auto* text = static_cast<std::string*>(ud);
          text->append(p, s * n);
          size_t lines = 0;
          for (size_t at = text->find("app-x-line"); at != std::string::npos;
               at = text->find("app-x-line", at + 1))
            ++lines;
          return lines >= 3 ? 0 : s * n;  // 0 ends the transfer
        });
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    done = true;
  });
  // Start the containers only once the agent counts the tail client.
  ASSERT_TRUE(wait_until(
      [&] {
        return parse_prometheus(http_get(agent_.api_port(), "/metrics").second)
                   .get("sluice_tail_clients") == 1.0;
      },
      10s));
  engine_.run({"x",
               "for i in 1 2 3; do echo app-x-line $i; done; sleep 60",
               {{"MARATHON_APP_ID", "/x"}},
               {}});
  engine_.run({"y",
               "for i in 1 2 3; do echo app-y-line $i; done; sleep 60",
               {{"MARATHON_APP_ID", "/y"}},
               {}});
  tail.join();
  EXPECT_NE(seen.find("app-x-line 3"), std::string::npos) << seen;
  EXPECT_EQ(seen.find("app-y-line"), std::string::npos) << seen;
  EXPECT_EQ(wait_for("app-y-line", 3), 3u);  // the outputs got /y all the same
  EXPECT_EQ(agent_.stop(), 0);
}

// How many times each number of "<tag> N" lines reached the output.
std::map<int, int> numbered(const std::string& path, const std::string& tag) {
  std::map<int, int> seen;
  for (const auto& d : read_ndjson(path)) {
    const std::string msg = get(d, {"message"});
    if (msg.rfind(tag + " ", 0) == 0) ++seen[std::stoi(msg.substr(tag.size() + 1))];
  }
  return seen;
}

// A container printing `n` numbered lines, 100 every ~50 ms, then exiting.
ContainerEngine::Run counter(const std::string& name, const std::string& tag, int n) {
  return {name,
          "i=1; while [ $i -le " + std::to_string(n) + " ]; do echo \"" + tag +
              " $i\"; if [ $((i % 100)) -eq 0 ]; then sleep 0.05; fi; i=$((i+1)); done",
          {},
          {}};
}

// Waits until every number 1..n of "<tag> N" has arrived (duplicates do not count).
bool wait_for_numbers(const std::string& path, const std::string& tag, int n) {
  return wait_until([&] { return numbered(path, tag).size() >= static_cast<size_t>(n); }, 30s,
                    50ms);
}

void expect_all_once_or_more(const std::map<int, int>& seen, int n, const char* what) {
  int missing = 0, duplicates = 0;
  for (int i = 1; i <= n; ++i) {
    auto it = seen.find(i);
    if (it == seen.end()) {
      ++missing;
    } else {
      duplicates += it->second - 1;
    }
  }
  std::printf("[ numbers  ] %s: written=%d arrived=%zu missing=%d duplicates=%d\n", what, n,
              seen.size(), missing, duplicates);
  EXPECT_EQ(missing, 0) << what;
}

TEST_F(DockerInput, AgentKilledAndRestartedMidOutputLosesNoLine) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run(counter("count", "kill", 6000));
  ASSERT_GE(wait_for("kill ", 1000), 1000u);
  agent_.kill_hard();  // as a crash would: no drain, no final checkpoint
  ASSERT_TRUE(agent_.start()) << agent_.log();
  ASSERT_TRUE(engine_.wait_exited("count", 30));
  EXPECT_TRUE(wait_for_numbers(out_, "kill", 6000)) << agent_.log();
  EXPECT_TRUE(all_accounted_for(agent_.api_port(), "file", "agent SIGKILL + restart (Docker)", 6000,
                                [&] { return numbered(out_, "kill").size(); }));
  EXPECT_EQ(agent_.stop(), 0);
  expect_all_once_or_more(numbered(out_, "kill"), 6000, "agent SIGKILL + restart");
}

TEST_F(DockerInput, AgentStoppedAndRestartedMidOutputTakesEachLineOnce) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run(counter("count", "term", 6000));
  ASSERT_GE(wait_for("term ", 1000), 1000u);
  ASSERT_EQ(agent_.stop(), 0);  // drains, then checkpoints what was delivered
  ASSERT_TRUE(agent_.start()) << agent_.log();
  ASSERT_TRUE(engine_.wait_exited("count", 30));
  EXPECT_TRUE(wait_for_numbers(out_, "term", 6000)) << agent_.log();
  EXPECT_EQ(agent_.stop(), 0);
  auto seen = numbered(out_, "term");
  expect_all_once_or_more(seen, 6000, "agent SIGTERM + restart");
  EXPECT_EQ(seen.size(), 6000u);
  for (const auto& [n, times] : seen) EXPECT_EQ(times, 1) << "line " << n;
}

// podman's follow stream drops lines when a container writes faster than it keeps up: none of
// them may be lost (a read position counted from that stream would skip them later).
TEST_F(DockerInput, AWriterFasterThanTheEnginesFollowStreamLosesNoLine) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  constexpr int kLines = 200000;
  engine_.run({"fast", "seq 1 " + std::to_string(kLines), {}, {}});
  ASSERT_TRUE(engine_.wait_exited("fast", 60));
  std::map<int, int> seen;
  const auto numbers = [&] {
    seen.clear();
    for (const auto& d : read_ndjson(out_)) {
      const char* msg = get(d, {"message"});
      if (*msg) ++seen[std::atoi(msg)];
    }
    return seen.size();
  };
  wait_until([&] { return numbers() >= static_cast<size_t>(kLines); }, 60s, 200ms);
  expect_all_once_or_more(seen, kLines, "fast writer");
  EXPECT_TRUE(all_accounted_for(agent_.api_port(), "file", "a writer faster than podman follows",
                                kLines, [&] { return numbers(); }, kLines));
  EXPECT_EQ(agent_.stop(), 0);
}

TEST_F(DockerInput, EngineRestartIsSurvived) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run(counter("count", "engine", 6000));
  ASSERT_GE(wait_for("engine ", 500), 500u);
  engine_.stop();  // the API goes away; the container keeps running under conmon
  ASSERT_TRUE(agent_.wait_for_log("cannot reach the container engine", 10s)) << agent_.log();
  ASSERT_TRUE(engine_.start());
  ASSERT_TRUE(engine_.wait_exited("count", 30));
  EXPECT_TRUE(wait_for_numbers(out_, "engine", 6000)) << agent_.log();
  EXPECT_TRUE(all_accounted_for(
      agent_.api_port(), "file", "container engine restarted", 6000,
      [&] { return numbered(out_, "engine").size(); }, 6000));
  EXPECT_EQ(agent_.stop(), 0);
  auto seen = numbered(out_, "engine");
  expect_all_once_or_more(seen, 6000, "engine restart");
  EXPECT_EQ(seen.size(), 6000u);
}

// Checkpoints that cannot be saved cost a restart repeated lines, never the lines themselves:
// the agent says why, counts it, and ships on.
TEST_F(DockerInput, AFullThenReadOnlyDataDirIsReportedAndShippingGoesOn) {
  ScratchMount data(agent_.dir() + "/data", 64 * 1024);
  if (!data.mounted()) GTEST_SKIP() << "needs to mount a tmpfs (root): " << data.error();
  ASSERT_GT(data.fill(), 0u);
  configure("checkpoint_interval = \"100ms\"\n", data.path());
  ASSERT_TRUE(agent_.start()) << agent_.log();
  engine_.run(counter("count", "datadir", 3000));
  ASSERT_TRUE(agent_.wait_for_log("cannot save checkpoints", 10s)) << agent_.log();
  EXPECT_NE(agent_.log().find("No space left on device"), std::string::npos) << agent_.log();
  ASSERT_TRUE(data.remount_read_only());
  EXPECT_TRUE(agent_.wait_for_log("Read-only file system", 10s)) << agent_.log();
  ASSERT_TRUE(engine_.wait_exited("count", 30));
  EXPECT_TRUE(wait_for_numbers(out_, "datadir", 3000)) << agent_.log();
  const auto m = parse_prometheus(http_get(agent_.api_port(), "/metrics").second);
  EXPECT_GT(m.get("sluice_input_events_total{input=\"docker\",event=\"checkpoint_failures\"}")
                .value_or(0),
            1);
  EXPECT_TRUE(all_accounted_for(
      agent_.api_port(), "file", "data dir full, then read-only", 3000,
      [&] { return numbered(out_, "datadir").size(); }, 3000));
  EXPECT_EQ(agent_.stop(), 0);
}

// Not a timing assertion: it records what 200 followed containers cost the agent.
TEST_F(DockerInput, TwoHundredContainersAtOnce) {
  configure();
  ASSERT_TRUE(agent_.start()) << agent_.log();
  constexpr int kContainers = 200;
  for (int c = 0; c < kContainers; ++c) {
    ASSERT_FALSE(engine_
                     .run({"many-" + std::to_string(c),
                           "i=1; while true; do echo \"many " + std::to_string(c) +
                               " $i\"; i=$((i+1)); sleep 1; done",
                           {{"MARATHON_APP_ID", "/many/" + std::to_string(c)}},
                           {}})
                     .empty());
  }
  auto metric = [&](const std::string& name) {
    auto m = parse_prometheus(http_get(agent_.api_port(), "/metrics").second);
    return m.get(name).value_or(-1);
  };
  wait_until(
      [&] { return metric("sluice_input_containers_attached{input=\"docker\"}") >= kContainers; },
      60s, 100ms);
  ASSERT_EQ(metric("sluice_input_containers_attached{input=\"docker\"}"), kContainers)
      << agent_.log();
  const double cpu0 = metric("sluice_process_cpu_seconds_total");
  const double lines0 = metric("sluice_input_records_total{input=\"docker\"}");
  std::this_thread::sleep_for(10s);  // the measurement window itself
  const double cpu1 = metric("sluice_process_cpu_seconds_total");
  const double lines1 = metric("sluice_input_records_total{input=\"docker\"}");
  const double rss = metric("sluice_process_resident_memory_bytes");
  std::printf(
      "[ numbers  ] %d containers: RSS %.1f MiB, CPU %.3f s over 10 s (%.1f%% of a core), "
      "%.0f lines/s\n",
      kContainers, rss / 1048576, cpu1 - cpu0, (cpu1 - cpu0) * 10, (lines1 - lines0) / 10);
  EXPECT_GT(lines1 - lines0, kContainers * 5);  // every container keeps flowing
  EXPECT_EQ(agent_.stop(), 0);
}

}  // namespace
}  // namespace sluice::test
