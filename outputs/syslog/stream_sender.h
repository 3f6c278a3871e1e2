// Syslog over TCP or TLS. A record counts as delivered once the peer's TCP stack has
// acknowledged its bytes; what a lost connection had not acknowledged is sent again after
// reconnecting (at least once).
#pragma once

#include <deque>
#include <string>

#include "agent/backoff.h"
#include "agent/component.h"
#include "agent/net/stream_client.h"
#include "agent/net/tls.h"
#include "outputs/syslog/syslog_format.h"

namespace sluice::syslog {

class StreamSender final : public Output {
 public:
  struct Settings {
    net::Address address;
    FormatOptions format;
    net::SslCtx tls;  // null for plain TCP
    std::string server_name;
    size_t max_in_flight;
    int64_t reconnect_max_ms;
  };

  StreamSender(std::string name, AgentContext& ctx, Settings settings);
  ~StreamSender() override;

  void start() override;
  void wake() override;
  void close() override;
  uint64_t in_flight() const override { return in_flight_records_; }

 private:
  struct Chunk {
    std::string bytes;
    uint64_t end = 0;  // stream offset just past this chunk
    uint32_t records = 0;
    uint64_t sent_ms = 0;  // loop time of the first send, for the latency histogram
  };

  void connect();
  void on_connected();
  void on_progress();
  void on_closed(const std::string& why);
  size_t unacked_bytes() const;

  Settings s_;
  net::StreamClient client_;
  Backoff backoff_;
  uv_timer_t* reconnect_timer_;
  std::deque<Chunk> chunks_;  // sent (or to send again), not yet acknowledged
  uint64_t in_flight_records_ = 0;
  bool closing_ = false;
  bool waking_ = false;
};

}  // namespace sluice::syslog
