// A strict stand-in for Elasticsearch 8's bulk API (Elasticsearch cannot be installed here).
// It behaves like the real one where the agent depends on it: per-item statuses and
// "errors":true, 409 on create of an existing _id, data streams (logs-*-*) accept only create
// and need @timestamp, gzip bodies, 413 past http.max_content_length, a request without its
// final newline is a 400. Faults can be injected: whole-request 429/503, per-item 429, resets.
#pragma once

#include <uv.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "agent/http/http_server.h"

namespace sluice::test {

class EsServer {
 public:
  EsServer();
  ~EsServer();
  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Fault injection (thread-safe).
  void reject_next_requests(int n, int status);  // whole requests answered 429 or 503
  void reject_items(double probability);         // each item answered 429 with this probability
  void reset_next_requests(int n);               // connection closed without an answer
  void reset_after_storing_next_bulks(int n);    // bulk stored, then closed before the answer
  void set_max_content_length(size_t bytes);     // larger bodies: 413
  // A field whose value must be a number, like a mapping would demand (else a per-item 400).
  void require_number(const std::string& field);

  struct Stats {
    std::map<std::string, size_t> docs_per_target;
    std::map<int, size_t> item_statuses;
    size_t requests = 0, gzip_requests = 0, rejected_requests = 0, too_large = 0;
    size_t reset_after_storing = 0;
    size_t max_body = 0;
    size_t filtered_responses = 0;  // bulk responses cut down by filter_path
    size_t max_response = 0;        // bytes of the largest bulk response sent
  };
  Stats stats() const;
  // Every stored document of a target, in arrival order (the JSON source).
  std::vector<std::string> documents(const std::string& target) const;
  std::map<std::string, std::string> templates() const;  // PUT /_index_template/NAME bodies

 private:
  std::unique_ptr<http::Response> handle(const http::Request& r);
  std::unique_ptr<http::Response> bulk(const http::Request& r, const std::string& default_target);

  uv_loop_t loop_;
  uv_async_t stop_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  mutable std::mutex mu_;
  int reject_n_ = 0, reject_status_ = 0, reset_n_ = 0, reset_after_n_ = 0;
  double item_reject_ = 0;
  size_t max_content_ = 100 << 20;
  std::vector<std::string> number_fields_;
  std::mt19937 rng_{42};
  Stats stats_;
  std::map<std::string, std::map<std::string, std::string>> docs_;  // target → id → source
  std::map<std::string, std::vector<std::string>> order_;           // target → ids in order
  uint64_t next_id_ = 0;
  uint64_t next_seq_no_ = 0;
  std::map<std::string, std::string> templates_;
};

}  // namespace sluice::test
