// A bulk request body built incrementally, gzip or not, with the offsets of its documents.
// Documents are compressed as they are added (one deflate stream per body being built), so the
// uncompressed body never exists in full; a finished body holds only the bytes it sends and
// where each document starts in the uncompressed stream. The documents that must be sent again
// (retried items, the halves of a body that was too large) are recovered by inflating it.
#pragma once

#include <zlib.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::elasticsearch {

class BulkBody {
 public:
  explicit BulkBody(bool gzip);

  // Appends one document: its action line and its source, each newline-terminated.
  void add(std::string_view document);
  // Ends the body (with gzip, the stream's trailer) and frees the compressor: bytes() is then
  // complete, and nothing more can be added.
  void finish();

  bool gzip() const { return gzip_; }
  bool finished() const { return finished_; }
  size_t documents() const { return offsets_.size(); }
  size_t raw_bytes() const { return raw_bytes_; }  // uncompressed, so far
  // What is sent: the gzip stream or the raw documents. Complete once finished().
  std::string_view bytes() const { return std::string_view(out_).substr(0, used_); }
  // Memory held for the bytes, including room reserved for more.
  size_t capacity() const { return out_.capacity(); }

  // Calls fn with each document listed in `which` (ascending indexes), uncompressed, in order.
  // A finished body only (a gzip stream is inflated a window at a time, never in full).
  void for_each(std::span<const size_t> which,
                const std::function<void(std::string_view)>& fn) const;
  // A new finished body of the documents listed in `which`, compressed as this one is.
  BulkBody select(std::span<const size_t> which) const;

 private:
  struct DeflateEnd {
    void operator()(z_stream* zs) const;
  };
  z_stream& compressor();
  void deflate_input(int flush);

  bool gzip_;
  bool finished_ = false;
  std::string out_;  // with gzip, [0, used_) is written and the rest is room for deflate
  size_t used_ = 0;
  size_t raw_bytes_ = 0;
  std::vector<size_t> offsets_;  // where each document starts in the uncompressed body
  std::unique_ptr<z_stream, DeflateEnd> deflate_;  // while a gzip body is being built
};

}  // namespace sluice::elasticsearch
