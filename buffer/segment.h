// A segment: a block of memory holding records back to back, encoded once on push. Records
// keep their metadata alive through the segment's table of shared pointers. A sealed segment
// can be compressed (zstd) while it waits for a slow output, and is decompressed whole when an
// output reaches it; only an uncompressed segment can be appended to or decoded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "agent/record.h"
#include "buffer/pages.h"

namespace sluice {

class Segment {
 public:
  // storage: memory of at least capacity bytes to reuse (a freed segment's); else its own.
  explicit Segment(size_t capacity, Pages storage = {});

  // Bytes a record takes in a segment.
  static size_t encoded_size(const Record& r);

  // Appends the record when it fits (and the metadata table has room); false otherwise.
  bool append(const Record& r, const std::shared_ptr<const SourceMeta>& meta);
  // Decodes the record at byte offset; returns the offset of the next record.
  size_t decode(size_t offset, Record& out) const;

  // Compresses the records in place and hands back the memory they took, for reuse; hands back
  // nothing (and nothing changes) when that would not save at least a tenth, so that
  // incompressible data is not tried again.
  Pages compress();
  // Restores the records into storage (at least capacity() bytes), or into new memory.
  void decompress(Pages storage = {});
  // The uncompressed records' memory, for another segment: this one is being dropped.
  Pages take_storage() { return std::move(data_); }
  bool compressed() const { return packed_size_ != 0; }
  bool tried_compression() const { return tried_; }
  // Memory the segment holds for its records: its capacity, or the whole pages its compressed
  // copy takes.
  size_t footprint() const { return compressed() ? packed_.size() : capacity_; }

  size_t capacity() const { return capacity_; }
  size_t used() const { return used_; }
  uint32_t count() const { return count_; }
  uint64_t first_seq = 0;
  uint64_t end_seq() const { return first_seq + count_; }
  void reset(uint64_t first);

 private:
  Pages data_;  // at least capacity_ bytes; none while compressed
  Pages packed_;
  size_t packed_size_ = 0;
  bool tried_ = false;
  size_t capacity_;
  size_t used_ = 0;
  uint32_t count_ = 0;
  std::vector<std::shared_ptr<const SourceMeta>> metas_;
};

}  // namespace sluice
