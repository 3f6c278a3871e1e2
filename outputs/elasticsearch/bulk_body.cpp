#include "outputs/elasticsearch/bulk_body.h"

#include <algorithm>
#include <new>
#include <stdexcept>

namespace sluice::elasticsearch {
namespace {

constexpr size_t kMinRoom = 16 * 1024;    // deflate's output grows from this, doubling
constexpr size_t kInflateWindow = 16384;  // uncompressed bytes recovered at a time

Bytef* bytes_of(const char* p) { return reinterpret_cast<Bytef*>(const_cast<char*>(p)); }

}  // namespace

void BulkBody::DeflateEnd::operator()(z_stream* zs) const {
  deflateEnd(zs);
  delete zs;
}

BulkBody::BulkBody(bool gzip) : gzip_(gzip) {}

void BulkBody::add(std::string_view document) {
  if (finished_) throw std::logic_error("BulkBody::add after finish");
  offsets_.push_back(raw_bytes_);
  raw_bytes_ += document.size();
  if (!gzip_) {
    out_ += document;
    used_ = out_.size();
    return;
  }
  z_stream& zs = compressor();
  zs.next_in = bytes_of(document.data());
  zs.avail_in = static_cast<uInt>(document.size());
  deflate_input(Z_NO_FLUSH);
}

void BulkBody::finish() {
  if (finished_) return;
  finished_ = true;
  if (!gzip_) {
    out_.shrink_to_fit();
    return;
  }
  compressor().avail_in = 0;  // no document: still a valid (empty) gzip stream
  deflate_input(Z_FINISH);
  deflate_.reset();
  out_.resize(used_);
  out_.shrink_to_fit();
}

// Created with the first document, ended by finish(): an idle output or a finished body holds no
// compressor (about 256 KiB of zlib's state).
z_stream& BulkBody::compressor() {
  if (!deflate_) {
    auto zs = std::make_unique<z_stream>();
    if (deflateInit2(zs.get(), Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
      throw std::bad_alloc();
    }
    deflate_.reset(zs.release());
  }
  return *deflate_;
}

// Runs deflate until it has taken all of its input (and, with Z_FINISH, written the trailer),
// growing the output as it fills.
void BulkBody::deflate_input(int flush) {
  for (;;) {
    if (used_ == out_.size()) out_.resize(std::max(kMinRoom, out_.size() * 2));
    deflate_->next_out = bytes_of(out_.data() + used_);
    deflate_->avail_out = static_cast<uInt>(out_.size() - used_);
    const int rc = deflate(deflate_.get(), flush);
    used_ = out_.size() - deflate_->avail_out;
    if (rc == Z_STREAM_ERROR) throw std::logic_error("BulkBody: deflate failed");
    if (flush == Z_FINISH ? rc == Z_STREAM_END : deflate_->avail_out != 0) return;
  }
}

void BulkBody::for_each(std::span<const size_t> which,
                        const std::function<void(std::string_view)>& fn) const {
  if (!finished_) throw std::logic_error("BulkBody::for_each before finish");
  for (size_t k = 0; k < which.size(); ++k) {
    if (which[k] >= offsets_.size() || (k > 0 && which[k] <= which[k - 1]))
      throw std::out_of_range("BulkBody::for_each: indexes must be ascending documents");
  }
  auto end_of = [&](size_t i) { return i + 1 < offsets_.size() ? offsets_[i + 1] : raw_bytes_; };
  if (!gzip_) {
    for (const size_t i : which)
      fn(std::string_view(out_).substr(offsets_[i], end_of(i) - offsets_[i]));
    return;
  }
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
  zs.next_in = bytes_of(out_.data());
  zs.avail_in = static_cast<uInt>(used_);
  char window[kInflateWindow];
  std::string partial;  // a document that spans windows
  size_t at = 0;        // where the window starts in the uncompressed body
  size_t k = 0;         // the next entry of `which`
  int rc = Z_OK;
  while (k < which.size() && rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(window);
    zs.avail_out = sizeof window;
    rc = inflate(&zs, Z_NO_FLUSH);
    const size_t n = sizeof window - zs.avail_out;
    if ((rc != Z_OK && rc != Z_STREAM_END) || (n == 0 && rc != Z_STREAM_END)) break;
    for (; k < which.size(); ++k) {
      const size_t begin = offsets_[which[k]], end = end_of(which[k]);
      if (begin > at + n || (begin == at + n && end > begin)) break;  // in a later window
      const size_t from = std::max(begin, at), to = std::min(end, at + n);
      if (end > at + n) {  // continues in the next window
        partial.append(window + (from - at), to - from);
        break;
      }
      if (partial.empty()) {
        fn(std::string_view(window + (from - at), to - from));
      } else {
        partial.append(window + (from - at), to - from);
        fn(partial);
        partial.clear();
      }
    }
    at += n;
  }
  inflateEnd(&zs);
  if (k < which.size()) throw std::runtime_error("BulkBody: the gzip stream ended early");
}

BulkBody BulkBody::select(std::span<const size_t> which) const {
  BulkBody b(gzip_);
  for_each(which, [&](std::string_view document) { b.add(document); });
  b.finish();
  return b;
}

}  // namespace sluice::elasticsearch
