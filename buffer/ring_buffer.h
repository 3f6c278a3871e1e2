// The bounded buffer between inputs and outputs. Records are copied once into segments; every
// output reads every record through its own cursor, so a slow output does not stall a fast one.
// Each consumer also has an acknowledged position: what it read stays in the buffer until it is
// acknowledged (delivered or given up), and space is freed behind the slowest acknowledgement.
// Memory is bounded by max_bytes; when it is full, the policy decides which record goes, and
// every record that goes is counted against each output that had not read it. With
// compression on, a full buffer first compresses sealed segments an output has still to read
// (only then, so that no CPU goes to it while the outputs keep up), then ones the outputs read
// but have not settled, and an output decompresses a segment when it reaches it: max_bytes
// then bounds the compressed total, plus the segment each output is reading. Segments' memory
// is mapped for each (see pages.h); a freed segment's is kept for the next, a few at most, and
// counted as held: a full buffer gives it back before it compresses or drops anything.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "agent/record.h"
#include "buffer/segment.h"

namespace sluice {

enum class WhenFull { drop_newest, drop_oldest };

class RingBuffer {
 public:
  using ConsumerId = size_t;
  using Waker = std::function<void()>;

  // Per-consumer counts. Identity: received = read + dropped_full + unread; of what was read,
  // read - acked is in flight.
  struct ConsumerStats {
    uint64_t received = 0;      // records pushed while the consumer existed
    uint64_t read = 0;          // handed to the consumer
    uint64_t dropped_full = 0;  // lost to the when_full policy before the consumer read them
    uint64_t unread = 0;
    uint64_t acked = 0;  // read records acknowledged, in order
  };

  RingBuffer(size_t max_bytes, WhenFull when_full, bool compress = false);
  ~RingBuffer();

  // A consumer starts at the head: it sees records pushed from now on.
  ConsumerId add_consumer(Waker waker);
  void remove_consumer(ConsumerId id);
  // A replacement for a consumer: it starts at the old one's acknowledged position, so records
  // the old one had read but not settled are read again. The old consumer is removed.
  ConsumerId take_over(ConsumerId old, Waker waker);

  // Sees every record offered to the buffer (for live tails); one at most.
  void set_tap(std::function<void(const Record&)> tap) { tap_ = std::move(tap); }

  // Copies the record in; false when the policy dropped it (drop_newest).
  bool push(const Record& r, const std::shared_ptr<const SourceMeta>& meta);
  // Wakes every consumer that has unread records; inputs call it once per batch they pushed.
  void notify();

  // Hands up to max_records unread records to fn, in order; returns how many it handed over.
  // The views passed to fn are valid only during the call.
  size_t read(ConsumerId id, size_t max_records, const std::function<void(const Record&)>& fn);
  // Sequence number of the next record read() hands this consumer.
  uint64_t next_seq(ConsumerId id) const { return consumers_[id].next_seq; }
  // The next n read records are settled (delivered or dropped): their space can be reused.
  void ack(ConsumerId id, uint64_t n);
  // What the consumer read but has not acknowledged is handed over again by its next reads
  // (an output whose peer may have lost it sends it again, formatted anew).
  void rewind(ConsumerId id);

  ConsumerStats stats(ConsumerId id) const;
  size_t bytes_used() const { return bytes_; }  // memory held by segments and kept for them
  // Compression: what the compressed segments hold, and what their records take uncompressed.
  size_t compressed_bytes() const { return compressed_bytes_; }
  size_t compressed_records_bytes() const { return compressed_records_bytes_; }
  size_t max_bytes() const { return max_bytes_; }
  size_t segment_bytes() const { return segment_bytes_; }
  uint64_t records_buffered() const;  // records the slowest consumer has not settled
  // Sequence numbers: the next pushed record gets head_seq(); every record before
  // settled_seq() has been settled by every consumer (inputs checkpoint behind it).
  uint64_t head_seq() const { return head_seq_; }
  uint64_t settled_seq() const { return slowest_acked(); }

 private:
  struct Consumer {
    bool active = false;
    uint64_t next_seq = 0;
    uint64_t acked_seq = 0;  // records before it are settled
    // Where next_seq lives, so that reading resumes without walking the segment again;
    // cleared when that segment is freed, reused or compressed.
    const Segment* at_segment = nullptr;
    size_t at_offset = 0;
    ConsumerStats stats;
    Waker waker;
  };

  Segment* writable_segment(size_t record_size);
  bool evict_oldest();
  bool compress_one();
  void decompress(Segment& s);
  void release_read_segments();
  Segment* new_segment(size_t capacity, Pages storage);
  void drop_front_segment();
  Pages take_spare(size_t capacity);
  void keep_spare(Pages storage, size_t capacity);
  uint64_t slowest_acked() const;

  const size_t max_bytes_;
  const WhenFull when_full_;
  const bool compress_;
  const size_t segment_bytes_;
  size_t bytes_ = 0;
  size_t compressed_bytes_ = 0;
  size_t compressed_records_bytes_ = 0;
  uint64_t head_seq_ = 0;  // sequence number the next pushed record gets
  std::deque<std::unique_ptr<Segment>> segments_;
  // Freed segments' memory, kept for the next ones (no new mapping, no page faults, in a
  // steady flow); counted in bytes_.
  std::vector<Pages> spares_;
  std::vector<Consumer> consumers_;
  std::function<void(const Record&)> tap_;
};

}  // namespace sluice
