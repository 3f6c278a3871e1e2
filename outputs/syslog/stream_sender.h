// Syslog over TCP or TLS, at least once. The peer's TCP stack acknowledges bytes before the
// peer application has read them, and a peer that stops (rsyslog on SIGTERM) drops what is
// still in its receive buffer and resets the connection. So an acknowledged record settles
// before it counts as delivered: once the connection has stayed up kSettleMs after its
// acknowledgement, or once more than a receive buffer's worth of bytes was acknowledged after
// it (the peer cannot hold more unread). After a reset the unsettled records, with what was
// never acknowledged, are read from the buffer again (which holds them until they settle) and
// sent first; an orderly close settles the acknowledged ones at once. Sent bytes are not kept.
// What is formatted during one turn of the loop goes out in one send at its end (or sooner,
// once kSendBytes are waiting): an input wakes the sender after each batch it reads, and a busy
// one reads many batches per turn.
#pragma once

#include <deque>
#include <string>

#include "agent/backoff.h"
#include "agent/component.h"
#include "agent/net/stream_client.h"
#include "agent/net/tls.h"
#include "agent/turn_end.h"
#include "outputs/syslog/syslog_format.h"

namespace sluice::syslog {

class StreamSender final : public Output {
 public:
  struct Settings {
    net::Address address;
    FormatOptions format;
    std::unique_ptr<net::TlsContext> tls;  // null for plain TCP
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
    uint64_t bytes = 0;
    uint64_t end = 0;  // stream offset just past this chunk
    uint32_t records = 0;
    uint64_t sent_ms = 0;   // loop time of the first send, for the latency histogram
    uint64_t acked_ms = 0;  // loop time of the peer's acknowledgement
  };

  void connect();
  void on_connected();
  void on_progress();
  void on_closed(const std::string& why, bool orderly);
  void settle(bool all);
  void send_formatted();
  size_t unacked_bytes() const;

  Settings s_;
  net::StreamClient client_;
  Backoff backoff_;
  uv_timer_t* reconnect_timer_;
  uv_timer_t* settle_timer_;
  TurnEnd send_at_turn_end_;    // sends what the turn formatted
  std::deque<Chunk> chunks_;    // sent (or to send again), not yet acknowledged
  std::deque<Chunk> settling_;  // acknowledged, not yet known to be read
  uint64_t settling_bytes_ = 0;
  std::string text_;                // formatted, not yet sent; keeps its room
  size_t formatted_ = 0;            // bytes of text_ waiting for send_formatted()
  uint64_t formatted_until_ = 0;    // records before this sequence were formatted once already
  uint64_t in_flight_records_ = 0;  // in both queues
  bool closing_ = false;
  bool waking_ = false;
};

}  // namespace sluice::syslog
