#include "buffer/ring_buffer.h"

#include <algorithm>
#include <limits>

namespace sluice {
namespace {

// Small buffers get several segments so that drop_oldest evicts a fraction, not everything.
size_t segment_size_for(size_t max_bytes) {
  return std::clamp<size_t>(max_bytes / 8, 4096, 1 << 20);
}

}  // namespace

RingBuffer::RingBuffer(size_t max_bytes, WhenFull when_full, bool compress)
    : max_bytes_(max_bytes),
      when_full_(when_full),
      compress_(compress),
      segment_bytes_(segment_size_for(max_bytes)) {}

RingBuffer::~RingBuffer() = default;

RingBuffer::ConsumerId RingBuffer::add_consumer(Waker waker) {
  Consumer c;
  c.active = true;
  c.next_seq = head_seq_;
  c.acked_seq = head_seq_;
  c.waker = std::move(waker);
  for (size_t i = 0; i < consumers_.size(); ++i) {
    if (!consumers_[i].active) {
      consumers_[i] = std::move(c);
      return i;
    }
  }
  consumers_.push_back(std::move(c));
  return consumers_.size() - 1;
}

RingBuffer::ConsumerId RingBuffer::take_over(ConsumerId old, Waker waker) {
  const uint64_t from = consumers_[old].acked_seq;
  const ConsumerId id = add_consumer(std::move(waker));  // never reuses `old`: it is active
  Consumer& c = consumers_[id];
  c.next_seq = c.acked_seq = from;
  c.stats.received = head_seq_ - from;  // what it inherits counts as received by it
  remove_consumer(old);
  return id;
}

void RingBuffer::ack(ConsumerId id, uint64_t n) {
  Consumer& c = consumers_[id];
  c.acked_seq = std::min(c.acked_seq + n, c.next_seq);
  c.stats.acked += n;
  release_read_segments();
}

void RingBuffer::rewind(ConsumerId id) {
  Consumer& c = consumers_[id];
  c.stats.read -= c.next_seq - c.acked_seq;  // handed back: they count as unread again
  c.next_seq = c.acked_seq;
  c.at_segment = nullptr;
}

void RingBuffer::remove_consumer(ConsumerId id) {
  consumers_[id] = Consumer{};
  release_read_segments();
}

Segment* RingBuffer::new_segment(size_t capacity, uint64_t first_seq) {
  std::unique_ptr<Segment> s;
  if (spare_ && spare_->capacity() == capacity) {
    s = std::move(spare_);
  } else {
    s = std::make_unique<Segment>(capacity);
  }
  s->reset(first_seq);
  bytes_ += capacity;
  segments_.push_back(std::move(s));
  return segments_.back().get();
}

Segment* RingBuffer::writable_segment(size_t record_size) {
  const size_t capacity = std::max(segment_bytes_, record_size);
  while (bytes_ + capacity > max_bytes_) {
    if (compress_ && compress_one()) continue;
    if (when_full_ == WhenFull::drop_newest || !evict_oldest()) return nullptr;
  }
  return new_segment(capacity, head_seq_);
}

bool RingBuffer::push(const Record& r, const std::shared_ptr<const SourceMeta>& meta) {
  if (tap_) {
    Record seen = r;
    seen.meta = meta.get();
    tap_(seen);
  }
  for (auto& c : consumers_) c.stats.received += c.active;
  if (!segments_.empty() && segments_.back()->append(r, meta)) {
    ++head_seq_;
    return true;
  }
  Segment* s = writable_segment(Segment::encoded_size(r));
  if (s && s->append(r, meta)) {
    ++head_seq_;
    return true;
  }
  for (auto& c : consumers_) c.stats.dropped_full += c.active;
  return false;
}

bool RingBuffer::evict_oldest() {
  if (segments_.empty()) return false;
  Segment& oldest = *segments_.front();
  // Records a consumer has read but not settled may still be delivered: such a segment stays,
  // and the arriving record is the one dropped. In-flight windows are small, so this is rare.
  for (const auto& c : consumers_) {
    if (c.active && c.acked_seq < oldest.end_seq() && c.next_seq > oldest.first_seq &&
        c.acked_seq < c.next_seq) {
      return false;
    }
  }
  for (auto& c : consumers_) {
    if (c.active && c.next_seq < oldest.end_seq()) {
      c.stats.dropped_full += oldest.end_seq() - c.next_seq;
      c.next_seq = oldest.end_seq();
      c.acked_seq = oldest.end_seq();
    }
  }
  drop_front_segment();
  return true;
}

// The newest segment that an output has still to read and none is reading: the ones read
// last, so that a returning output does not decompress what it would soon free. Failing that,
// a segment every output has read but not settled (kept only in case one reads it again after
// a reset), so that what outputs hold in flight stays within max_bytes too. Called when a new
// segment is wanted, so every segment is sealed by then.
bool RingBuffer::compress_one() {
  for (const bool read_already : {false, true}) {
    for (size_t i = segments_.size(); i-- > 0;) {
      Segment& s = *segments_[i];
      if (s.compressed() || s.tried_compression()) continue;
      bool awaited = false, being_read = false;
      for (const auto& c : consumers_) {
        if (!c.active) continue;
        awaited |= c.next_seq <= s.first_seq;
        being_read |= c.next_seq > s.first_seq && c.next_seq < s.end_seq();
      }
      if (being_read || awaited == read_already) continue;
      const size_t before = s.footprint();
      if (!s.compress()) continue;
      bytes_ -= before - s.footprint();
      compressed_bytes_ += s.footprint();
      compressed_records_bytes_ += s.used();
      for (auto& c : consumers_) {
        if (c.at_segment == &s) c.at_segment = nullptr;
      }
      return true;
    }
  }
  return false;
}

void RingBuffer::decompress(Segment& s) {
  if (!s.compressed()) return;
  compressed_bytes_ -= s.footprint();
  compressed_records_bytes_ -= s.used();
  bytes_ -= s.footprint();
  s.decompress();
  bytes_ += s.footprint();
}

void RingBuffer::drop_front_segment() {
  Segment& front = *segments_.front();
  if (front.compressed()) {
    compressed_bytes_ -= front.footprint();
    compressed_records_bytes_ -= front.used();
  }
  bytes_ -= front.footprint();
  spare_ = std::move(segments_.front());
  segments_.pop_front();
  for (auto& c : consumers_) c.at_segment = nullptr;
}

void RingBuffer::notify() {
  for (auto& c : consumers_) {
    if (c.active && c.next_seq < head_seq_ && c.waker) c.waker();
  }
}

size_t RingBuffer::read(ConsumerId id, size_t max_records,
                        const std::function<void(const Record&)>& fn) {
  Consumer& c = consumers_[id];
  size_t handed = 0;
  Record r;
  for (const auto& seg : segments_) {
    if (handed == max_records) break;
    if (seg->end_seq() <= c.next_seq) continue;
    decompress(*seg);
    size_t offset = 0;
    if (c.at_segment == seg.get()) {
      offset = c.at_offset;
    } else {
      for (uint64_t seq = seg->first_seq; seq < c.next_seq; ++seq) offset = seg->decode(offset, r);
    }
    while (c.next_seq < seg->end_seq() && handed < max_records) {
      offset = seg->decode(offset, r);
      ++c.next_seq;
      ++handed;
      fn(r);
    }
    c.at_segment = seg.get();
    c.at_offset = offset;
  }
  c.stats.read += handed;
  return handed;
}

uint64_t RingBuffer::slowest_acked() const {
  uint64_t slowest = head_seq_;
  for (const auto& c : consumers_) {
    if (c.active) slowest = std::min(slowest, c.acked_seq);
  }
  return slowest;
}

void RingBuffer::release_read_segments() {
  const uint64_t slowest = slowest_acked();
  while (!segments_.empty() && segments_.front()->end_seq() <= slowest) {
    if (segments_.size() == 1) {
      // Everything was read: reuse the newest segment in place instead of reallocating it.
      segments_.front()->reset(head_seq_);
      for (auto& c : consumers_) c.at_segment = nullptr;
      return;
    }
    drop_front_segment();
  }
}

RingBuffer::ConsumerStats RingBuffer::stats(ConsumerId id) const {
  ConsumerStats s = consumers_[id].stats;
  s.unread = head_seq_ - consumers_[id].next_seq;
  return s;
}

uint64_t RingBuffer::records_buffered() const { return head_seq_ - slowest_acked(); }

}  // namespace sluice
