// devlog → sluice → Kafka (librdkafka's mock cluster, 3 brokers), read back with a consumer.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include "tests/support/accounting.h"
#include "tests/support/agent_process.h"
#include "tests/support/devlog_sender.h"
#include "tests/support/kafka_mock.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/wait.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;
constexpr int kKeys = 10;

class KafkaOutput : public ::testing::Test {
 protected:
  void start_agent(const std::string& extra = "") {
    agent_.write_config(
        "[agent]\nhostname = \"node-7\"\nshutdown_timeout = \"10s\"\n"
        "[api]\nlisten = \"127.0.0.1:0\"\n"
        "[inputs.local]\ntype = \"devlog\"\npath = \"" +
        agent_.dir() +
        "/dev-log\"\n"
        "[outputs.kafka]\ntype = \"kafka\"\nbrokers = [\"" +
        mock_.bootstraps() +
        "\"]\n"
        "topic = \"logs\"\nkey = \"host.name\"\nformat = \"raw\"\n" +
        extra +
        "[outputs.kafka.librdkafka]\n\"reconnect.backoff.ms\" = 50\n"
        "\"reconnect.backoff.max.ms\" = 200\n\"linger.ms\" = 5\n");
    ASSERT_TRUE(agent_.start()) << agent_.log();
    sender_ = std::make_unique<DevlogSender>(agent_.dir() + "/dev-log");
  }

  // Record i goes to key "h<i % 10>" (the syslog hostname) with message "n <i>".
  void send(size_t first, size_t n) {
    for (size_t i = first; i < first + n; ++i) {
      ASSERT_TRUE(sender_->send("<14>Nov 24 21:00:00 h" + std::to_string(i % kKeys) +
                                " app[1]: n " + std::to_string(i)));
    }
  }

  double metric(const std::string& name) {
    return parse_prometheus(http_get(agent_.api_port(), "/metrics").second).get(name).value_or(-1);
  }

  bool wait_settled(double n, std::chrono::milliseconds timeout = 60s) {
    return wait_until(
        [&] {
          return metric("sluice_output_delivered_total{output=\"kafka\"}") +
                     std::max(0.0, metric("sluice_output_dropped_total{output=\"kafka\",reason="
                                          "\"kafka:MSG_SIZE_TOO_LARGE\"}")) >=
                 n;
        },
        timeout, 50ms);
  }

  // Every number once (at least once where the peer may write a retried batch twice), and per
  // key in increasing order of first arrival.
  void expect_in_order(const std::vector<ConsumedMessage>& got, size_t n, bool twice_allowed) {
    std::set<size_t> seen;
    std::map<std::string, size_t> last;
    size_t duplicates = 0, out_of_order = 0;
    for (const auto& m : got) {
      const size_t i = std::stoul(m.payload.substr(2));
      EXPECT_EQ(m.key, "h" + std::to_string(i % kKeys));
      if (!seen.insert(i).second) {
        ++duplicates;
        continue;
      }
      auto it = last.find(m.key);
      if (it != last.end() && i < it->second) ++out_of_order;
      last[m.key] = i;
    }
    std::printf("[ numbers  ] consumed=%zu unique=%zu duplicates=%zu out_of_order=%zu keys=%zu\n",
                got.size(), seen.size(), duplicates, out_of_order, last.size());
    EXPECT_EQ(seen.size(), n);
    if (!twice_allowed) {
      EXPECT_EQ(duplicates, 0u);
    }
    EXPECT_EQ(out_of_order, 0u);
  }

  KafkaMock mock_{3, "logs", 3};
  AgentProcess agent_;
  std::unique_ptr<DevlogSender> sender_;
};

TEST_F(KafkaOutput, HundredThousandRecordsExactlyOnceInKeyOrderCompressed) {
  start_agent();
  const auto t0 = std::chrono::steady_clock::now();
  send(0, 100000);
  ASSERT_TRUE(wait_settled(100000)) << agent_.log();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // librdkafka reports its byte counts once a second: wait for the report covering every record.
  const auto plain_bytes = [&] {
    return metric("sluice_output_events_total{output=\"kafka\",event=\"message_bytes\"}");
  };
  double expected = 0;  // every payload "n <i>" and key "h<d>"
  for (int i = 0; i < 100000; ++i) expected += 2 + std::to_string(i).size() + 2;
  ASSERT_TRUE(wait_until([&] { return plain_bytes() >= expected; }, 10s, 100ms))
      << http_get(agent_.api_port(), "/metrics").second;
  const double wire = metric("sluice_output_events_total{output=\"kafka\",event=\"wire_bytes\"}");
  const double plain = plain_bytes();
  std::printf(
      "[ numbers  ] 100000 records delivered in %.2f s (%.0f records/s); message bytes %.0f, "
      "wire bytes %.0f\n",
      seconds, 100000 / seconds, plain, wire);
  EXPECT_LT(wire, plain / 2);  // zstd on the wire
  EXPECT_EQ(agent_.stop(), 0);
  auto r = agent_.report("kafka");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->received, 100000u);
  EXPECT_EQ(r->delivered, 100000u);
  EXPECT_EQ(r->dropped, 0u);
  expect_in_order(mock_.consume("logs", 100000, 60s), 100000, /*twice_allowed=*/false);
}

TEST_F(KafkaOutput, AllBrokersDownForThreeSecondsLosesNothing) {
  start_agent();
  send(0, 20000);
  ASSERT_TRUE(wait_settled(10000)) << agent_.log();
  mock_.set_brokers_up(false);
  send(20000, 20000);
  std::this_thread::sleep_for(3s);  // the outage itself, not a synchronisation
  mock_.set_brokers_up(true);
  send(40000, 10000);
  ASSERT_TRUE(wait_settled(50000)) << agent_.log();
  std::vector<ConsumedMessage> consumed;
  EXPECT_TRUE(all_accounted_for(
      agent_.api_port(), "kafka", "Kafka brokers down 3 s and up", 50000,
      [&] {
        consumed = mock_.consume("logs", 50000, 60s);
        std::set<std::string> distinct;
        for (const auto& m : consumed) distinct.insert(m.payload);
        return distinct.size();
      },
      50000));
  EXPECT_EQ(agent_.stop(), 0);
  auto r = agent_.report("kafka");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->received, 50000u);
  EXPECT_EQ(r->delivered, 50000u);
  EXPECT_EQ(r->dropped, 0u);
  // With every broker gone, a produce request a broker wrote but could not answer is sent
  // again; the idempotent producer should have the copy refused, but librdkafka 2.0.2 with its
  // mock cluster sometimes writes it twice (193 of 50,000 in 2 of 15 runs here, under
  // load; the agent produced each record once: delivered = received = 50,000), as an open
  // upstream issue reports against real brokers (librdkafka#4953). What the agent promises
  // is at least once, in order.
  expect_in_order(consumed, 50000, /*twice_allowed=*/true);
}

TEST_F(KafkaOutput, PermanentErrorIsCountedAsDroppedWithItsReason) {
  start_agent();
  send(0, 1000);
  ASSERT_TRUE(wait_settled(1000)) << agent_.log();
  // The next produce request is refused for good: its records are dropped, with the reason.
  rd_kafka_mock_push_request_errors(mock_.cluster(), 0 /* Produce */, 1,
                                    RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE);
  send(1000, 1);
  ASSERT_TRUE(wait_settled(1001)) << agent_.log();
  send(1001, 999);
  ASSERT_TRUE(wait_settled(2000)) << agent_.log();
  const double received = metric("sluice_output_received_total{output=\"kafka\"}");
  const double delivered = metric("sluice_output_delivered_total{output=\"kafka\"}");
  const double too_large =
      metric("sluice_output_dropped_total{output=\"kafka\",reason=\"kafka:MSG_SIZE_TOO_LARGE\"}");
  const double buffered = metric("sluice_output_buffered_records{output=\"kafka\"}");
  std::printf(
      "[ numbers  ] received=%.0f delivered=%.0f dropped(MSG_SIZE_TOO_LARGE)=%.0f buffered=%.0f\n",
      received, delivered, too_large, buffered);
  EXPECT_EQ(received, 2000);
  EXPECT_GE(too_large, 1);
  EXPECT_EQ(received, delivered + too_large + buffered);
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(mock_.consume("logs", static_cast<size_t>(delivered), 30s).size(),
            static_cast<size_t>(delivered));
}

}  // namespace
}  // namespace sluice::test
