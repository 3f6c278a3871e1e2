#include "outputs/syslog/stream_sender.h"

#include <algorithm>

#include "agent/log.h"
#include "agent/uv_handle.h"

namespace sluice::syslog {
namespace {

constexpr size_t kRecordsPerChunk = 512;
constexpr uint64_t kSettleMs = 2000;
constexpr uint64_t kSettleBytes = 6 << 20;  // Linux's largest autotuned receive buffer (tcp_rmem)
// Sent before the turn's end once this much is formatted: bounds the bytes held back, and the
// time the first of them waits during a long turn.
constexpr size_t kSendBytes = 256 << 10;

}  // namespace

StreamSender::StreamSender(std::string name, AgentContext& ctx, Settings settings)
    : Output(std::move(name), ctx),
      s_(std::move(settings)),
      client_(ctx.loop,
              {[this] { on_connected(); }, [this] { on_progress(); },
               [this](const std::string& why, bool orderly) { on_closed(why, orderly); }}),
      backoff_(100, s_.reconnect_max_ms),
      reconnect_timer_(new_timer<uv_timer_t>(ctx.loop, this)),
      settle_timer_(new_timer<uv_timer_t>(ctx.loop, this)),
      send_at_turn_end_(ctx.loop, [this] {
        send_formatted();
        wake();  // the send may have made room (max_in_flight)
      }) {}

StreamSender::~StreamSender() {
  client_.close();
  close_handle(reconnect_timer_);
  close_handle(settle_timer_);
}

void StreamSender::start() { connect(); }

void StreamSender::connect() {
  log::debug(name(), "connecting to " + s_.address.str());
  client_.connect(s_.address, s_.tls.get(), s_.server_name);
}

void StreamSender::on_connected() {
  log::info(name(), "connected to " + s_.address.str());
  backoff_.reset();
  healthy();
  wake();  // what the last connection left unsettled is read again first, in order
}

size_t StreamSender::unacked_bytes() const {
  return chunks_.empty() ? 0 : static_cast<size_t>(chunks_.back().end - client_.acked());
}

void StreamSender::wake() {
  // Sending can report progress synchronously (a loopback peer acknowledges within send()),
  // and progress wakes the sender: the loop below picks that up instead of recursing.
  if (waking_ || closing_ || !client_.connected()) return;
  waking_ = true;
  while (client_.connected() && unacked_bytes() < s_.max_in_flight) {
    Chunk chunk;
    uint64_t truncated = 0, resent = 0;
    size_t used = formatted_;  // of text_, which keeps its size: growing it zero-fills the new part
    chunk.records = static_cast<uint32_t>(read(kRecordsPerChunk, [&](const Record& r) {
      const bool again = next_read_seq() <= formatted_until_;  // read before, then unsettled
      resent += again;
      const size_t room = used + message_bound(r, s_.format);
      if (text_.size() < room) text_.resize(room);
      bool cut;
      used += format_message(r, s_.format, text_.data() + used, cut);
      truncated += cut && !again;
    }));
    if (chunk.records == 0) break;
    formatted_until_ = std::max(formatted_until_, next_read_seq());
    if (truncated) count("truncated", truncated);
    if (resent) count("resent_records", resent);
    in_flight_records_ += chunk.records;
    chunk.bytes = used - formatted_;
    chunk.end = (chunks_.empty() ? client_.acked() : chunks_.back().end) + chunk.bytes;
    chunk.sent_ms = uv_now(ctx_.loop);
    // Queued before it is sent, so that an acknowledgement arriving during send() finds it.
    chunks_.push_back(chunk);
    formatted_ = used;
    if (formatted_ >= kSendBytes) send_formatted();
  }
  if (formatted_ > 0) send_at_turn_end_.arm();
  waking_ = false;
}

void StreamSender::send_formatted() {
  const size_t n = formatted_;
  formatted_ = 0;  // before send(), which may report progress and so wake the sender again
  if (n > 0) client_.send(std::string_view(text_).substr(0, n));  // keeps what the socket left
}

void StreamSender::on_progress() {
  const uint64_t acked = client_.acked();
  const uint64_t now = uv_now(ctx_.loop);
  while (!chunks_.empty() && chunks_.front().end <= acked) {
    Chunk& c = chunks_.front();
    observe_latency(static_cast<double>(now - c.sent_ms) / 1000.0);
    c.acked_ms = now;
    settling_bytes_ += c.bytes;
    settling_.push_back(c);
    chunks_.pop_front();
  }
  settle(false);
  wake();
}

void StreamSender::settle(bool all) {
  const uint64_t now = uv_now(ctx_.loop);
  while (!settling_.empty()) {
    const Chunk& c = settling_.front();
    const bool read_by_peer =
        all || c.acked_ms + kSettleMs <= now || settling_bytes_ - c.bytes >= kSettleBytes;
    if (!read_by_peer) break;
    delivered(c.records);
    in_flight_records_ -= c.records;
    settling_bytes_ -= c.bytes;
    settling_.pop_front();
  }
  if (settling_.empty()) {
    uv_timer_stop(settle_timer_);
    return;
  }
  // The loop stopped at a chunk that is not due yet: come back when it is.
  const uint64_t due = settling_.front().acked_ms + kSettleMs;
  uv_timer_start(
      settle_timer_, [](uv_timer_t* t) { static_cast<StreamSender*>(t->data)->settle(false); },
      due - now, 0);
}

void StreamSender::on_closed(const std::string& why, bool orderly) {
  on_progress();  // records acknowledged before the connection ended settle first
  // An orderly close means the peer read what it acknowledged; after a reset it may have
  // dropped that unread. What is not settled then is read from the buffer again and goes out
  // first on the next connection, in order.
  settle(orderly);
  chunks_.clear();
  formatted_ = 0;  // its records are read again
  settling_.clear();
  settling_bytes_ = 0;
  in_flight_records_ = 0;
  uv_timer_stop(settle_timer_);
  reread_unsettled();
  count("connection_failures");
  failing(why);
  log::limited(log::Level::warn, name(), "closed", why);
  if (closing_) return;
  const int64_t delay = backoff_.next_ms();
  uv_timer_start(
      reconnect_timer_, [](uv_timer_t* t) { static_cast<StreamSender*>(t->data)->connect(); },
      static_cast<uint64_t>(delay), 0);
}

void StreamSender::close() {
  closing_ = true;
  uv_timer_stop(reconnect_timer_);
  if (client_.connected()) {
    send_formatted();
    on_progress();
  }
  // Our own close is orderly: the peer reads what it acknowledged before it sees the end.
  settle(true);
  client_.close();
  dropped(in_flight_records_, "shutdown");
  in_flight_records_ = 0;
  chunks_.clear();
  abandon_unread("shutdown");
}

}  // namespace sluice::syslog
