#include "buffer/ring_buffer.h"

#include <algorithm>
#include <limits>

namespace sluice {
namespace {

// Small buffers get several segments so that drop_oldest evicts a fraction, not everything.
// At most 512 KiB: zstd shrinks records about as well as in 1 MiB (5.1x against 5.2x, as fast
// per record), what a buffer holds beyond its compressed total (the segment an output
// decompresses to read) is half as much, and a compressed copy's last page wastes little.
size_t segment_size_for(size_t max_bytes) {
  return std::clamp<size_t>(max_bytes / 8, 4096, 512 << 10);
}

// Freed segments kept for reuse: one for the segment an input fills next, one for the one an
// output decompresses next.
constexpr size_t kSpares = 2;

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

// Spares are all of the usual segment size; a larger record's segment maps its own.
Pages RingBuffer::take_spare(size_t capacity) {
  if (spares_.empty() || capacity != segment_bytes_) return {};
  Pages p = std::move(spares_.back());
  spares_.pop_back();
  return p;  // still counted in bytes_: it goes to a segment that counts the same
}

void RingBuffer::keep_spare(Pages storage, size_t capacity) {
  if (storage && capacity == segment_bytes_ && spares_.size() < kSpares) {
    spares_.push_back(std::move(storage));
  } else {
    bytes_ -= storage ? capacity : 0;  // unmapped as it goes
  }
}

Segment* RingBuffer::new_segment(size_t capacity, Pages storage) {
  auto s = std::make_unique<Segment>(capacity, std::move(storage));
  s->reset(head_seq_);
  segments_.push_back(std::move(s));
  return segments_.back().get();
}

Segment* RingBuffer::writable_segment(size_t record_size) {
  const size_t capacity = std::max(segment_bytes_, record_size);
  for (;;) {
    // A spare is counted already: reusing one adds nothing.
    const size_t reusable = capacity == segment_bytes_ && !spares_.empty() ? 1 : 0;
    if (bytes_ + (reusable ? 0 : capacity) <= max_bytes_) break;
    if (spares_.size() > reusable) {  // kept memory goes before any record does
      spares_.pop_back();
      bytes_ -= segment_bytes_;
      continue;
    }
    if (compress_ && compress_one()) continue;  // the records' memory becomes a spare
    if (when_full_ == WhenFull::drop_newest || !evict_oldest()) return nullptr;
  }
  Pages storage = take_spare(capacity);
  if (!storage) bytes_ += capacity;
  return new_segment(capacity, std::move(storage));
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
      Pages freed = s.compress();
      if (!freed) continue;
      bytes_ += s.footprint();  // the compressed copy; the records' memory is a spare now
      keep_spare(std::move(freed), s.capacity());
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
  Pages spare = take_spare(s.capacity());
  if (!spare) bytes_ += s.capacity();
  s.decompress(std::move(spare));
}

void RingBuffer::drop_front_segment() {
  Segment& front = *segments_.front();
  if (front.compressed()) {
    compressed_bytes_ -= front.footprint();
    compressed_records_bytes_ -= front.used();
    bytes_ -= front.footprint();
  } else {
    keep_spare(front.take_storage(), front.capacity());
  }
  // Only who was reading this one loses its place: the other segments stay where they are,
  // and forgetting theirs made the next read walk its segment from the start again.
  for (auto& c : consumers_) {
    if (c.at_segment == &front) c.at_segment = nullptr;
  }
  segments_.pop_front();
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
    if (segments_.size() == 1 && !segments_.front()->compressed()) {
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
