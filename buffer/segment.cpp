#include "buffer/segment.h"

#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>

namespace sluice {
namespace {

constexpr uint16_t kNoMeta = std::numeric_limits<uint16_t>::max();

// Fixed part of an encoded record; the strings follow it in field order.
struct Header {
  uint32_t size;  // whole record, padded to 8 bytes
  uint16_t meta;
  uint8_t facility;
  uint8_t severity;
  int64_t event_ns;
  int64_t receive_ns;
  uint32_t pid, uid, gid;
  uint32_t len_sd;
  uint32_t len_msg;
  uint16_t len_host, len_app, len_procid, len_msgid;
  uint8_t stream;
};

constexpr size_t pad8(size_t n) { return (n + 7) & ~size_t{7}; }

// Header fields other than the message are short by nature; a longer one is cut here.
uint16_t short_len(std::string_view s) {
  return static_cast<uint16_t>(std::min<size_t>(s.size(), std::numeric_limits<uint16_t>::max()));
}

// The memory handed over when it is large enough, else new memory.
Pages storage_for(size_t capacity, Pages given) {
  return given.size() >= capacity ? std::move(given) : Pages(capacity);
}

}  // namespace

Segment::Segment(size_t capacity, Pages storage)
    : data_(storage_for(capacity, std::move(storage))), capacity_(capacity) {}

void Segment::reset(uint64_t first) {
  first_seq = first;
  used_ = 0;
  count_ = 0;
  metas_.clear();
  if (!data_) data_ = Pages(capacity_);
  packed_ = Pages();
  packed_size_ = 0;
  tried_ = false;
}

Pages Segment::compress() {
  if (compressed() || used_ == 0) return {};
  tried_ = true;
  // Level 1: the fastest of the regular levels; log lines still shrink 5-10 times.
  thread_local ZSTD_CCtx* cctx = ZSTD_createCCtx();
  // Straight into memory of its own, no bigger than what is worth keeping (zstd fails when the
  // frame would not fit), then shrunk: no scratch of a segment's size beside the buffer, and
  // only the pages written become resident.
  const size_t limit = used_ - used_ / 10;
  Pages packed;
  try {
    packed = Pages(limit);
  } catch (const std::bad_alloc&) {
    return {};  // no memory for it now: the records stay as they are
  }
  const size_t n = ZSTD_compressCCtx(cctx, packed.data(), limit, data_.data(), used_, 1);
  if (ZSTD_isError(n)) return {};
  packed.shrink(n);
  packed_ = std::move(packed);
  packed_size_ = n;
  return std::move(data_);
}

void Segment::decompress(Pages storage) {
  if (!compressed()) return;
  thread_local ZSTD_DCtx* dctx = ZSTD_createDCtx();
  data_ = storage_for(capacity_, std::move(storage));
  const size_t n = ZSTD_decompressDCtx(dctx, data_.data(), capacity_, packed_.data(), packed_size_);
  // The agent's own frame, in its own memory: failing here means memory was corrupted, and
  // reading on would hand outputs garbage. Fail loudly; the service manager restarts the agent.
  if (ZSTD_isError(n) || n != used_) {
    std::fprintf(stderr, "sluice: a compressed buffer segment is corrupt (%s); aborting\n",
                 ZSTD_isError(n) ? ZSTD_getErrorName(n) : "wrong size");
    std::abort();
  }
  packed_ = Pages();
  packed_size_ = 0;
  tried_ = false;  // it compressed once: it may again
}

size_t Segment::encoded_size(const Record& r) {
  return pad8(sizeof(Header) + short_len(r.hostname) + short_len(r.app_name) + short_len(r.procid) +
              short_len(r.msgid) + r.structured_data.size() + r.message.size());
}

bool Segment::append(const Record& r, const std::shared_ptr<const SourceMeta>& meta) {
  const size_t size = encoded_size(r);
  if (compressed() || used_ + size > capacity_) return false;
  uint16_t meta_index = kNoMeta;
  if (meta) {
    // Records of one source come in runs: look at the newest entry first.
    auto it = std::find(metas_.rbegin(), metas_.rend(), meta);
    if (it != metas_.rend()) {
      meta_index = static_cast<uint16_t>(metas_.rend() - it - 1);
    } else {
      if (metas_.size() >= kNoMeta) return false;
      meta_index = static_cast<uint16_t>(metas_.size());
      metas_.push_back(meta);
    }
  }
  Header h{};
  h.size = static_cast<uint32_t>(size);
  h.meta = meta_index;
  h.facility = r.facility;
  h.severity = r.severity;
  h.event_ns = r.event_ns;
  h.receive_ns = r.receive_ns;
  h.pid = r.pid;
  h.uid = r.uid;
  h.gid = r.gid;
  h.len_sd = static_cast<uint32_t>(r.structured_data.size());
  h.len_msg = static_cast<uint32_t>(r.message.size());
  h.len_host = short_len(r.hostname);
  h.len_app = short_len(r.app_name);
  h.len_procid = short_len(r.procid);
  h.len_msgid = short_len(r.msgid);
  h.stream = static_cast<uint8_t>(r.stream);
  char* p = data_.data() + used_;
  std::memcpy(p, &h, sizeof h);
  p += sizeof h;
  for (auto [s, n] : {std::pair{r.hostname, size_t{h.len_host}},
                      {r.app_name, h.len_app},
                      {r.procid, h.len_procid},
                      {r.msgid, h.len_msgid},
                      {r.structured_data, h.len_sd},
                      {r.message, h.len_msg}}) {
    if (n) std::memcpy(p, s.data(), n);
    p += n;
  }
  used_ += size;
  ++count_;
  return true;
}

size_t Segment::decode(size_t offset, Record& out) const {
  Header h;
  const char* p = data_.data() + offset;
  std::memcpy(&h, p, sizeof h);
  p += sizeof h;
  auto take = [&p](size_t n) {
    std::string_view s(p, n);
    p += n;
    return s;
  };
  out.event_ns = h.event_ns;
  out.receive_ns = h.receive_ns;
  out.facility = h.facility;
  out.severity = h.severity;
  out.stream = static_cast<Stream>(h.stream);
  out.pid = h.pid;
  out.uid = h.uid;
  out.gid = h.gid;
  out.hostname = take(h.len_host);
  out.app_name = take(h.len_app);
  out.procid = take(h.len_procid);
  out.msgid = take(h.len_msgid);
  out.structured_data = take(h.len_sd);
  out.message = take(h.len_msg);
  out.meta = h.meta == kNoMeta ? nullptr : metas_[h.meta].get();
  return offset + h.size;
}

}  // namespace sluice
