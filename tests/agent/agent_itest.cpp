// The agent binary end to end, with peers that need no installation: a TCP line sink and files.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "tests/support/accounting.h"
#include "tests/support/agent_process.h"
#include "tests/support/child_process.h"
#include "tests/support/devlog_sender.h"
#include "tests/support/paths.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/tcp_sink.h"
#include "tests/support/wait.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;

size_t count_lines(const std::string& path) {
  std::ifstream in(path);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

std::string config(const AgentProcess& a, const std::string& outputs,
                   const std::string& extra = "") {
  return "[agent]\nhostname = \"node-7\"\nshutdown_timeout = \"2s\"\n[api]\nlisten = "
         "\"127.0.0.1:0\"\n" +
         extra + "[inputs.local]\ntype = \"devlog\"\npath = \"" + a.dir() + "/dev-log\"\n" +
         outputs;
}

TEST(Agent, DeliversEverythingToAFileAndDrainsOnSigterm) {
  AgentProcess agent;
  const std::string out = agent.dir() + "/out.ndjson";
  agent.write_config(config(agent, "[outputs.file]\ntype = \"file\"\npath = \"" + out + "\"\n"));
  ASSERT_TRUE(agent.start()) << agent.log();
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("drain", 0, 20000), 20000u);
  EXPECT_EQ(agent.stop(), 0);
  auto r = agent.report("file");
  ASSERT_TRUE(r) << agent.log();
  EXPECT_EQ(r->received, 20000u);
  EXPECT_EQ(r->delivered, 20000u);
  EXPECT_EQ(r->dropped, 0u);
  EXPECT_EQ(count_lines(out), 20000u);
  EXPECT_EQ(agent.log().find("shutdown_timeout reached"), std::string::npos) << agent.log();
}

TEST(Agent, OverloadIsCountedAndTheIdentityHoldsInMetrics) {
  AgentProcess agent;
  const uint16_t nobody = free_port(SOCK_STREAM);
  agent.write_config(config(agent,
                            "[outputs.down]\ntype = \"syslog\"\naddress = \"tcp://127.0.0.1:" +
                                std::to_string(nobody) + "\"\n",
                            // Uncompressed, so that 5,000 alike records overflow it.
                            "[buffer]\nmax_bytes = \"64KiB\"\ncompression = \"none\"\n"));
  ASSERT_TRUE(agent.start()) << agent.log();
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("flood", 0, 5000), 5000u);
  // Every datagram was accepted by the kernel; wait until the agent has read them all.
  PrometheusSamples m;
  wait_until(
      [&] {
        m = parse_prometheus(http_get(agent.api_port(), "/metrics").second);
        return m.get("sluice_output_received_total{output=\"down\"}").value_or(0) >= 5000;
      },
      10s);
  ASSERT_EQ(m.error, "");
  const double received = *m.get("sluice_output_received_total{output=\"down\"}");
  const double delivered = *m.get("sluice_output_delivered_total{output=\"down\"}");
  const double full =
      m.get("sluice_output_dropped_total{output=\"down\",reason=\"buffer_full\"}").value_or(0);
  const double buffered = *m.get("sluice_output_buffered_records{output=\"down\"}");
  EXPECT_EQ(received, 5000);
  EXPECT_EQ(delivered, 0);
  EXPECT_GT(full, 0);
  EXPECT_GT(buffered, 0);
  EXPECT_EQ(received, delivered + full + buffered);
  EXPECT_EQ(agent.stop(), 0);
  auto r = agent.report("down");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->received, 5000u);
  EXPECT_EQ(r->delivered + r->dropped, 5000u);
  EXPECT_EQ(r->fields["dropped.shutdown"], static_cast<uint64_t>(buffered));
}

// A flood far above what the output takes (its peer is down): the agent drops and counts, its
// memory stays within buffer.max_bytes + 16 MiB, its API answers throughout, and once the peer
// is up it gets everything that was kept.
TEST(Agent, AFloodFarAboveOutputSpeedIsCountedBoundedAndAnswered) {
  AgentProcess agent;
  const uint16_t port = free_port(SOCK_STREAM);
  constexpr double kMaxBytes = 4 << 20;
  agent.write_config(config(agent,
                            "[outputs.central]\ntype = \"syslog\"\nframing = \"lf\"\n"
                            "reconnect_max = \"200ms\"\naddress = \"tcp://127.0.0.1:" +
                                std::to_string(port) + "\"\n",
                            // Uncompressed: alike records would all fit compressed.
                            "[buffer]\nmax_bytes = \"4MiB\"\ncompression = \"none\"\n"));
  ASSERT_TRUE(agent.start()) << agent.log();
  constexpr size_t kFlood = 500000;
  std::atomic<bool> flooding{true};
  std::thread flood([&] {
    DevlogSender sender(agent.dir() + "/dev-log");
    sender.send_numbered("flood", 0, kFlood);
    flooding = false;
  });
  size_t answered = 0, unanswered = 0;
  double peak_rss = 0;
  while (flooding) {
    const auto [status, body] = http_get(agent.api_port(), "/metrics");
    if (status != 200) {
      ++unanswered;
      continue;
    }
    ++answered;
    peak_rss = std::max(
        peak_rss, parse_prometheus(body).get("sluice_process_resident_memory_bytes").value_or(0));
  }
  flood.join();
  std::printf(
      "[ numbers  ] flood of %zu: /metrics answered %zu times, unanswered %zu, peak RSS "
      "%.1f MiB\n",
      kFlood, answered, unanswered, peak_rss / (1 << 20));
  EXPECT_GT(answered, 0u);
  EXPECT_EQ(unanswered, 0u);
  if (!kSanitizedAgent) {
    EXPECT_LE(peak_rss, kMaxBytes + (16 << 20));
  }
  auto during = read_accounting(agent.api_port(), "central");
  ASSERT_TRUE(during);
  EXPECT_GT(during->dropped_by_reason["buffer_full"], 0);
  TcpLineSink sink(port);
  EXPECT_TRUE(all_accounted_for(
      agent.api_port(), "central", "input flood, output down", kFlood, [&] { return sink.lines(); },
      kFlood));
  EXPECT_EQ(agent.stop(), 0);
}

TEST(Agent, HealthFailsWhileThePeerIsDownAndRecovers) {
  AgentProcess agent;
  const uint16_t port = free_port(SOCK_STREAM);
  // health_failing_after goes into the one [api] table the helper writes, so spell it out.
  agent.write_config(
      "[agent]\nhostname = \"node-7\"\n[api]\nlisten = \"127.0.0.1:0\"\nhealth_failing_after = "
      "\"1s\"\n"
      "[inputs.local]\ntype = \"devlog\"\npath = \"" +
      agent.dir() +
      "/dev-log\"\n"
      "[outputs.central]\ntype = \"syslog\"\nframing = \"lf\"\nreconnect_max = \"200ms\"\n"
      "address = \"tcp://127.0.0.1:" +
      std::to_string(port) + "\"\n");
  ASSERT_TRUE(agent.start()) << agent.log();
  auto status = [&] { return http_get(agent.api_port(), "/health").first; };
  ASSERT_TRUE(wait_until([&] { return status() == 503; }, 10s, 20ms))
      << http_get(agent.api_port(), "/health").second;
  TcpLineSink sink(port);
  ASSERT_TRUE(wait_until([&] { return status() == 200; }, 10s, 20ms))
      << http_get(agent.api_port(), "/health").second;
  DevlogSender sender(agent.dir() + "/dev-log");
  sender.send_numbered("after", 0, 100);
  EXPECT_TRUE(sink.wait_for_lines(100, 10s));
  EXPECT_EQ(agent.stop(), 0);
  // Everything was acknowledged, so the drain ends at once rather than at shutdown_timeout.
  EXPECT_EQ(agent.log().find("shutdown_timeout reached"), std::string::npos) << agent.log();
  EXPECT_EQ(agent.report("central")->delivered, 100u);
}

TEST(Agent, InvalidReloadKeepsTheRunningConfig) {
  AgentProcess agent;
  const std::string out = agent.dir() + "/out.ndjson";
  const std::string good =
      config(agent, "[outputs.file]\ntype = \"file\"\npath = \"" + out + "\"\n");
  agent.write_config(good);
  ASSERT_TRUE(agent.start()) << agent.log();
  agent.write_config(good + "typo_key = 1\n");
  agent.signal(SIGHUP);
  ASSERT_TRUE(agent.wait_for_log("the new config is invalid", 5s)) << agent.log();
  EXPECT_NE(agent.log().find("unknown key 'typo_key' in [outputs.file]"), std::string::npos);
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("still", 0, 100), 100u);
  EXPECT_EQ(agent.stop(), 0);
  EXPECT_EQ(count_lines(out), 100u);
}

TEST(Agent, ReloadMovesTrafficToAChangedOutputAndKeepsTheInputSocket) {
  AgentProcess agent;
  const std::string a = agent.dir() + "/a.ndjson";
  const std::string b = agent.dir() + "/b.ndjson";
  agent.write_config(config(agent, "[outputs.file]\ntype = \"file\"\npath = \"" + a + "\"\n"));
  ASSERT_TRUE(agent.start()) << agent.log();
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("before", 0, 50), 50u);
  ASSERT_TRUE(wait_until([&] { return count_lines(a) >= 50; }, 10s));
  agent.write_config(config(agent, "[outputs.file]\ntype = \"file\"\npath = \"" + b + "\"\n"));
  agent.signal(SIGHUP);
  ASSERT_TRUE(agent.wait_for_log("config reloaded", 5s)) << agent.log();
  // The same sender keeps working: the input's socket was not re-created.
  ASSERT_EQ(sender.send_numbered("after", 0, 50), 50u);
  EXPECT_EQ(agent.stop(), 0);
  EXPECT_EQ(count_lines(a), 50u);
  EXPECT_EQ(count_lines(b), 50u);
}

TEST(Agent, ReloadToANewAddressDeliversWhatWasBufferedForTheOldOne) {
  AgentProcess agent;
  auto syslog_to = [&](uint16_t port) {
    return config(agent,
                  "[outputs.central]\ntype = \"syslog\"\nframing = \"lf\"\n"
                  "address = \"tcp://127.0.0.1:" +
                      std::to_string(port) + "\"\n");
  };
  agent.write_config(syslog_to(free_port(SOCK_STREAM)));
  ASSERT_TRUE(agent.start()) << agent.log();
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("held", 0, 1000), 1000u);
  ASSERT_TRUE(agent.wait_for_log("Connection refused", 5s));
  TcpLineSink sink;
  agent.write_config(syslog_to(sink.port()));
  agent.signal(SIGHUP);
  ASSERT_TRUE(agent.wait_for_log("config reloaded", 5s)) << agent.log();
  ASSERT_EQ(sender.send_numbered("new", 0, 500), 500u);
  EXPECT_TRUE(sink.wait_for_lines(1500, 10s)) << sink.lines();
  EXPECT_EQ(agent.stop(), 0);
  auto r = agent.report("central");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->received, 1500u);  // the replacement inherited the 1000 held records
  EXPECT_EQ(r->delivered, 1500u);
  EXPECT_EQ(r->dropped, 0u);
  EXPECT_EQ(sink.lines(), 1500u);
}

// Opens GET `path` on the API and returns the connected socket (the response is not read).
int open_stream(uint16_t port, const std::string& path) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  const sockaddr_in a = loopback_address(port);
  if (connect(fd, reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0) return -1;
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n";
  if (write(fd, req.data(), req.size()) != static_cast<ssize_t>(req.size())) return -1;
  return fd;
}

TEST(Agent, TailStreamsMatchingRecordsAndASilentClientBlocksNothing) {
  AgentProcess agent;
  const std::string out = agent.dir() + "/out.ndjson";
  agent.write_config(config(agent, "[outputs.file]\ntype = \"file\"\npath = \"" + out + "\"\n"));
  ASSERT_TRUE(agent.start()) << agent.log();
  const int silent = open_stream(agent.api_port(), "/tail");  // never reads a byte
  const int filtered = open_stream(agent.api_port(), "/tail?q=needle");
  ASSERT_GE(silent, 0);
  ASSERT_GE(filtered, 0);
  // A misspelt filter is refused rather than streaming everything.
  const auto misspelt = http_get(agent.api_port(), "/tail?contains=needle");
  EXPECT_EQ(misspelt.first, 400);
  EXPECT_NE(misspelt.second.find("unknown parameter 'contains'"), std::string::npos);
  ASSERT_TRUE(wait_until(
      [&] {
        return parse_prometheus(http_get(agent.api_port(), "/metrics").second)
                   .get("sluice_tail_clients") == 2.0;
      },
      10s));
  DevlogSender sender(agent.dir() + "/dev-log");
  ASSERT_EQ(sender.send_numbered("hay", 0, 50000), 50000u);
  ASSERT_TRUE(sender.send("<14>app: the needle 1"));
  ASSERT_TRUE(sender.send("<14>app: more hay"));
  ASSERT_TRUE(sender.send("<14>app: the needle 2"));
  // Delivery to the file is complete although one tail client has read nothing.
  wait_until([&] { return count_lines(out) >= 50003; }, 20s);
  EXPECT_EQ(count_lines(out), 50003u);
  // The filtered tail saw exactly the two matching records.
  std::string seen;
  char buf[4096];
  while (seen.find("needle 2") == std::string::npos) {
    ssize_t n = read(filtered, buf, sizeof buf);
    if (n <= 0) break;
    seen.append(buf, static_cast<size_t>(n));
  }
  EXPECT_NE(seen.find("Transfer-Encoding: chunked"), std::string::npos);
  EXPECT_NE(seen.find("\"message\":\"the needle 1\""), std::string::npos) << seen;
  EXPECT_NE(seen.find("\"message\":\"the needle 2\""), std::string::npos) << seen;
  EXPECT_EQ(seen.find("hay"), std::string::npos);
  close(silent);
  close(filtered);
  EXPECT_EQ(agent.stop(), 0);
  EXPECT_EQ(agent.report("file")->delivered, 50003u);
}

TEST(Agent, TellsSystemdItIsReadyOnceItsInputsAreBound) {
  AgentProcess agent;
  const std::string notify = agent.dir() + "/notify.sock";
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  notify.copy(addr.sun_path, sizeof addr.sun_path - 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  agent.set_env("NOTIFY_SOCKET", notify);
  agent.write_config(config(agent, "[outputs.c]\ntype = \"console\"\n"));
  ASSERT_TRUE(agent.start()) << agent.log();
  char buf[256] = {};
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ASSERT_GT(recv(fd, buf, sizeof buf - 1, 0), 0);
  EXPECT_STREQ(buf, "READY=1");
  // Ready means bound: a sender can connect at once.
  DevlogSender sender(agent.dir() + "/dev-log");
  EXPECT_TRUE(sender.send("<14>app: ready"));
  EXPECT_EQ(agent.stop(), 0);
  close(fd);
}

TEST(Agent, CheckReportsATypoWithItsPlace) {
  AgentProcess agent;
  agent.write_config(
      "[inputs.local]\ntype = \"devlog\"\n\n[outputs.central]\ntype = \"syslog\"\n"
      "addres = \"tcp://h:514\"\n");
  const std::string cmd = sluice_binary() + " --check --config " + agent.config_path() + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (fgets(buf, sizeof buf, p)) out += buf;
  const int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 1);
  EXPECT_NE(out.find(agent.config_path() +
                     ":6:1: unknown key 'addres' in [outputs.central] (did you mean 'address'?)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(agent.config_path() + ":4:1: missing required key 'address'"),
            std::string::npos)
      << out;
}

}  // namespace
}  // namespace sluice::test
