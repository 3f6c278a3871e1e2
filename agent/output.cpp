#include <algorithm>

#include "agent/component.h"

namespace sluice {

Output::Output(std::string name, AgentContext& ctx)
    : ctx_(ctx), name_(std::move(name)), consumer_(ctx.buffer->add_consumer([this] { wake(); })) {}

Output::~Output() {
  if (owns_consumer_) ctx_.buffer->remove_consumer(consumer_);
}

void Output::take_over_from(Output& old) {
  ctx_.buffer->remove_consumer(consumer_);
  consumer_ = ctx_.buffer->take_over(old.consumer_, [this] { wake(); });
  old.owns_consumer_ = false;
}

size_t Output::read(size_t max_records, const std::function<void(const Record&)>& fn) {
  return owns_consumer_ ? ctx_.buffer->read(consumer_, max_records, fn) : 0;
}

void Output::delivered(uint64_t n) {
  delivered_ += n;
  if (owns_consumer_) ctx_.buffer->ack(consumer_, n);
}

void Output::dropped(uint64_t n, std::string_view reason) {
  if (n == 0) return;
  if (owns_consumer_) ctx_.buffer->ack(consumer_, n);
  auto it = dropped_.find(reason);
  if (it == dropped_.end()) it = dropped_.emplace(std::string(reason), 0).first;
  it->second += n;
}

void Output::count(std::string_view event, uint64_t n) {
  if (n == 0) return;
  auto it = events_.find(event);
  if (it == events_.end()) it = events_.emplace(std::string(event), 0).first;
  it->second += n;
}

void Output::healthy() {
  failing_since_ms_ = 0;
  failure_.clear();
}

void Output::failing(std::string why) {
  if (failing_since_ms_ == 0) failing_since_ms_ = std::max<uint64_t>(1, uv_now(ctx_.loop));
  failure_ = std::move(why);
}

void Output::abandon_unread(std::string_view reason) {
  if (!owns_consumer_) return;
  const uint64_t unread = ctx_.buffer->stats(consumer_).unread;
  if (unread) dropped(read(unread, [](const Record&) {}), reason);
}

void Output::reread_unsettled() {
  if (owns_consumer_) ctx_.buffer->rewind(consumer_);
}

uint64_t Output::Stats::dropped_total() const {
  uint64_t n = 0;
  for (const auto& [reason, count] : dropped) n += count;
  return n;
}

Output::Stats Output::stats() const {
  const auto b = ctx_.buffer->stats(consumer_);
  Stats s;
  s.received = b.received;
  s.delivered = delivered_;
  s.dropped.insert(dropped_.begin(), dropped_.end());
  if (b.dropped_full) s.dropped["buffer_full"] += b.dropped_full;
  s.events.insert(events_.begin(), events_.end());
  s.unread = b.unread;
  s.failing_since_ms = failing_since_ms_;
  s.failure = failure_;
  s.latency = latency_;
  s.in_flight = in_flight();
  return s;
}

bool Output::drained() const {
  if (!owns_consumer_) return true;
  return ctx_.buffer->stats(consumer_).unread == 0 && in_flight() == 0;
}

}  // namespace sluice
