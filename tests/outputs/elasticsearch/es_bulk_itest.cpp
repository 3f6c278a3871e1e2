// devlog → sluice → the Elasticsearch bulk API (a strict test double: see
// tests/support/es_server.h).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <set>
#include <thread>

#include "tests/support/accounting.h"
#include "tests/support/agent_process.h"
#include "tests/support/devlog_sender.h"
#include "tests/support/es_server.h"
#include "tests/support/prometheus_text.h"
#include "tests/support/wait.h"

namespace sluice::test {
namespace {

using namespace std::chrono_literals;

class Elasticsearch : public ::testing::Test {
 protected:
  void start_agent(const std::string& extra = "") {
    agent_.write_config(
        "[agent]\nhostname = \"node-7\"\nshutdown_timeout = \"10s\"\n"
        "[api]\nlisten = \"127.0.0.1:0\"\n"
        "[inputs.local]\ntype = \"devlog\"\npath = \"" +
        agent_.dir() +
        "/dev-log\"\n"
        "[outputs.es]\ntype = \"elasticsearch\"\nurls = [\"" +
        es_.url() +
        "\"]\n"
        "retry_max = \"300ms\"\nbatch = { linger = \"50ms\" }\n" +
        extra);
    ASSERT_TRUE(agent_.start()) << agent_.log();
    sender_ = std::make_unique<DevlogSender>(agent_.dir() + "/dev-log");
  }

  void send(size_t first, size_t n) { ASSERT_EQ(sender_->send_numbered("doc", first, n, 120), n); }

  double metric(const std::string& name) {
    return parse_prometheus(http_get(agent_.api_port(), "/metrics").second).get(name).value_or(0);
  }

  bool wait_settled(double n, std::chrono::milliseconds timeout = 60s) {
    return wait_until(
        [&] {
          auto m = parse_prometheus(http_get(agent_.api_port(), "/metrics").second);
          double settled = m.get("sluice_output_delivered_total{output=\"es\"}").value_or(0);
          for (const auto& [k, v] : m.values) {
            if (k.rfind("sluice_output_dropped_total{output=\"es\"", 0) == 0) settled += v;
          }
          return settled >= n;
        },
        timeout, 50ms);
  }

  // How many distinct "doc N" documents a target holds, and how many repeat one.
  std::pair<size_t, size_t> distinct_docs(const std::string& target) {
    std::set<size_t> seen;
    size_t repeats = 0;
    for (const auto& src : es_.documents(target)) {
      rapidjson::Document d;
      d.Parse(src.c_str());
      const std::string msg = d["message"].GetString();
      repeats += !seen.insert(std::stoul(msg.substr(4))).second;
    }
    return {seen.size(), repeats};
  }

  // The daily index of records without a timestamp: their event time is the receive time.
  std::string today_index() const { return index_of(time(nullptr)); }

  std::string index_of(time_t t) const {
    tm utc;
    gmtime_r(&t, &utc);
    char buf[32];
    strftime(buf, sizeof buf, "sluice-%Y.%m.%d", &utc);
    return buf;
  }

  // The daily index of the records DevlogSender sends: their RFC 3164 stamp "Nov 24 21:00:00"
  // is local time in the year nearest to now, and the index is named by its UTC day.
  std::string sent_day_index() const {
    const time_t now = time(nullptr);
    tm local;
    localtime_r(&now, &local);
    time_t best = 0;
    for (int year = local.tm_year - 1; year <= local.tm_year + 1; ++year) {
      tm stamp{};
      stamp.tm_year = year;
      stamp.tm_mon = 10;
      stamp.tm_mday = 24;
      stamp.tm_hour = 21;
      stamp.tm_isdst = -1;
      const time_t t = mktime(&stamp);
      if (best == 0 || std::llabs(t - now) < std::llabs(best - now)) best = t;
    }
    return index_of(best);
  }

  AgentProcess agent_;
  EsServer es_;  // stopped before the agent's dir goes: its thread may still close sockets
  std::unique_ptr<DevlogSender> sender_;
};

TEST_F(Elasticsearch, TwoHundredThousandDocumentsWithEcsFields) {
  start_agent();
  const auto t0 = std::chrono::steady_clock::now();
  send(0, 200000);
  ASSERT_TRUE(wait_settled(200000)) << agent_.log();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto stats = es_.stats();
  std::printf(
      "[ numbers  ] 200000 documents in %.2f s (%.0f docs/s), %zu bulk requests, %zu gzip, "
      "largest body %zu bytes\n",
      seconds, 200000 / seconds, stats.requests, stats.gzip_requests, stats.max_body);
  EXPECT_EQ(agent_.stop(), 0);
  auto r = agent_.report("es");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->delivered, 200000u);
  EXPECT_EQ(r->dropped, 0u);
  EXPECT_EQ(stats.docs_per_target.at(sent_day_index()), 200000u);
  EXPECT_EQ(distinct_docs(sent_day_index()), std::make_pair(size_t{200000}, size_t{0}));
  EXPECT_EQ(stats.gzip_requests, stats.requests);  // gzip on the wire
  // Responses carry only statuses (filter_path): some 30 bytes a document, not 180.
  EXPECT_EQ(stats.filtered_responses, stats.requests);
  EXPECT_LT(stats.max_response, 40u * 5000);
  rapidjson::Document d;
  d.Parse(es_.documents(sent_day_index()).front().c_str());
  EXPECT_TRUE(d["@timestamp"].IsString());
  EXPECT_TRUE(d["event"]["created"].IsString());
  EXPECT_STREQ(d["host"]["name"].GetString(), "node-7");
  EXPECT_TRUE(d["log"]["syslog"]["severity"]["code"].IsInt());
  EXPECT_STREQ(d["log"]["syslog"]["severity"]["name"].GetString(), "informational");
  EXPECT_STREQ(d["log"]["syslog"]["appname"].GetString(), "app");
  EXPECT_TRUE(d["process"]["pid"].IsInt());
  EXPECT_STREQ(d["sluice"]["input"].GetString(), "local");
}

TEST_F(Elasticsearch, A429And503StormLosesAndDuplicatesNothing) {
  start_agent();
  const auto storm_start = std::chrono::steady_clock::now();
  es_.reject_items(0.5);  // half the items refused...
  send(0, 20000);
  std::this_thread::sleep_for(5s);  // the storm itself, not a synchronisation
  es_.reject_items(0);
  auto rejected = [&] { return es_.stats().rejected_requests; };
  for (const int status : {429, 503}) {  // ...then 30 whole requests of each
    const size_t before = rejected();
    es_.reject_next_requests(30, status);
    send(status == 429 ? 20000 : 30000, 10000);
    ASSERT_TRUE(wait_until([&] { return rejected() == before + 30; }, 30s)) << agent_.log();
  }
  const double storm =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - storm_start).count();
  ASSERT_TRUE(wait_settled(40000)) << agent_.log();
  const auto stats = es_.stats();
  std::printf(
      "[ numbers  ] %.1f s storm: item 429s=%zu, rejected requests=%zu (429 and 503), 409 "
      "(already stored)=%zu, retries=%.0f\n",
      storm, stats.item_statuses.count(429) ? stats.item_statuses.at(429) : 0,
      stats.rejected_requests, stats.item_statuses.count(409) ? stats.item_statuses.at(409) : 0,
      metric("sluice_output_events_total{output=\"es\",event=\"retries\"}"));
  EXPECT_GT(stats.item_statuses.at(429), 0u);
  EXPECT_EQ(stats.rejected_requests, 60u);
  EXPECT_TRUE(all_accounted_for(
      agent_.api_port(), "es", "Elasticsearch 429 and 503 storm", 40000,
      [&] { return distinct_docs(sent_day_index()).first; }, 40000));
  const auto [distinct, repeats] = distinct_docs(sent_day_index());
  EXPECT_EQ(agent_.stop(), 0);
  auto r = agent_.report("es");
  EXPECT_EQ(r->delivered, 40000u);
  EXPECT_EQ(r->dropped, 0u);
  EXPECT_EQ(distinct, 40000u);
  EXPECT_EQ(repeats, 0u);
}

TEST_F(Elasticsearch, ARejectedDocumentIsCountedAndTheRestOfItsBatchDelivered) {
  es_.require_number("log.syslog.appname");  // a mapping only the tagged document violates
  start_agent();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(sender_->send("<14>doc " + std::to_string(i)));
  ASSERT_TRUE(sender_->send("<14>tagged: doc 50"));
  for (int i = 51; i < 100; ++i) ASSERT_TRUE(sender_->send("<14>doc " + std::to_string(i)));
  ASSERT_TRUE(wait_settled(100)) << agent_.log();
  EXPECT_EQ(
      metric("sluice_output_dropped_total{output=\"es\",reason=\"es:document_parsing_exception\"}"),
      1);
  EXPECT_EQ(metric("sluice_output_delivered_total{output=\"es\"}"), 99);
  EXPECT_TRUE(
      agent_.wait_for_log("Elasticsearch rejected 1 document(s): document_parsing_exception", 5s));
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(distinct_docs(today_index()).first, 99u);  // no stamp: received today
}

TEST_F(Elasticsearch, TooLargeRequestsAreSplit) {
  es_.set_max_content_length(16 * 1024);
  start_agent("compression = \"none\"\n");
  send(0, 2000);
  ASSERT_TRUE(wait_settled(2000)) << agent_.log();
  EXPECT_GT(es_.stats().too_large, 0u);
  EXPECT_GT(metric("sluice_output_events_total{output=\"es\",event=\"split_batches\"}"), 0);
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(agent_.report("es")->delivered, 2000u) << agent_.log();
  EXPECT_EQ(distinct_docs(sent_day_index()), std::make_pair(size_t{2000}, size_t{0}));
}

// The halves of a gzip body are recovered by inflating it: none lost, none twice.
TEST_F(Elasticsearch, TooLargeGzipRequestsAreSplit) {
  es_.set_max_content_length(4 * 1024);
  start_agent();
  send(0, 2000);
  ASSERT_TRUE(wait_settled(2000)) << agent_.log();
  EXPECT_GT(es_.stats().too_large, 0u);
  EXPECT_EQ(es_.stats().gzip_requests + es_.stats().too_large, es_.stats().requests);
  EXPECT_GT(metric("sluice_output_events_total{output=\"es\",event=\"split_batches\"}"), 0);
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(agent_.report("es")->delivered, 2000u) << agent_.log();
  EXPECT_EQ(distinct_docs(sent_day_index()), std::make_pair(size_t{2000}, size_t{0}));
}

TEST_F(Elasticsearch, DataStreamsGetCreateActions) {
  start_agent("data_stream = \"logs-sluice-default\"\n");
  send(0, 1000);
  ASSERT_TRUE(wait_settled(1000)) << agent_.log();
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(agent_.report("es")->delivered, 1000u);
  EXPECT_EQ(distinct_docs("logs-sluice-default"), std::make_pair(size_t{1000}, size_t{0}));
}

TEST_F(Elasticsearch, TemplatesAreInstalledWhenManaged) {
  start_agent("manage_template = true\n");
  ASSERT_TRUE(agent_.wait_for_log("installed template sluice-logs", 10s)) << agent_.log();
  auto templates = es_.templates();
  ASSERT_EQ(templates.size(), 2u);
  rapidjson::Document d;
  d.Parse(templates.at("sluice").c_str());
  EXPECT_STREQ(d["index_patterns"][0].GetString(), "sluice-*");
  EXPECT_STREQ(d["template"]["mappings"]["properties"]["marathon"]["properties"]["app_id"]["type"]
                   .GetString(),
               "keyword");
  d.Parse(templates.at("sluice-logs").c_str());
  EXPECT_TRUE(d.HasMember("data_stream"));
  EXPECT_EQ(agent_.stop(), 0);
}

// The bulk was stored but its answer never came: the retry finds the documents by their _id
// (409) and stores none twice.
TEST_F(Elasticsearch, AConnectionResetMidResponseStoresEachDocumentOnce) {
  es_.reset_after_storing_next_bulks(3);
  start_agent();
  send(0, 3000);
  ASSERT_TRUE(wait_settled(3000)) << agent_.log();
  EXPECT_EQ(es_.stats().reset_after_storing, 3u);
  EXPECT_GT(es_.stats().item_statuses[409], 0u);
  EXPECT_TRUE(all_accounted_for(
      agent_.api_port(), "es", "Elasticsearch connection reset mid-response", 3000,
      [&] { return distinct_docs(sent_day_index()).first; }, 3000));
  EXPECT_EQ(distinct_docs(sent_day_index()).second, 0u);  // stored once each
  EXPECT_EQ(agent_.stop(), 0);
}

TEST_F(Elasticsearch, ConnectionResetsAreRetried) {
  es_.reset_next_requests(3);
  start_agent();
  send(0, 3000);
  ASSERT_TRUE(wait_settled(3000)) << agent_.log();
  EXPECT_EQ(agent_.stop(), 0);
  EXPECT_EQ(agent_.report("es")->delivered, 3000u);
  EXPECT_EQ(distinct_docs(sent_day_index()), std::make_pair(size_t{3000}, size_t{0}));
}

}  // namespace
}  // namespace sluice::test
