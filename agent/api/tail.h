// Live tails: every record offered to the buffer is shown to each /tail client whose filter
// matches, as NDJSON. A client that reads slowly never slows the pipeline: past a small queue
// its records are dropped, and the stream says how many.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/http/http_server.h"
#include "agent/record.h"

namespace sluice::api {

struct TailFilter {
  std::string container;  // container name
  std::string app;        // Marathon app id
  std::string input;
  std::string contains;  // substring of the message
  bool matches(const Record& r) const;
};

class TailHub {
 public:
  static constexpr size_t kMaxQueuedBytes = 256 * 1024;

  explicit TailHub(std::string hostname) : hostname_(std::move(hostname)) {}
  void add(std::shared_ptr<http::Stream> stream, TailFilter filter);
  void offer(const Record& r);
  bool active() const { return !clients_.empty(); }
  size_t clients() const;  // still connected

 private:
  struct Client {
    std::shared_ptr<http::Stream> stream;
    TailFilter filter;
    uint64_t dropped = 0;  // not yet reported to the client
  };
  std::string hostname_;
  std::vector<Client> clients_;
  std::string line_;
};

}  // namespace sluice::api
