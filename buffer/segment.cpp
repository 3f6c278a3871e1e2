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
  uint8_t zero[3];  // what would be padding, zeroed: stale bytes there would compress worse
};
static_assert(sizeof(Header) == 56);

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
    // Records of one source come in runs: the newest entry first, then the others newest
    // first (std::find alone, even reversed, costs several times the one comparison).
    auto it = !metas_.empty() && metas_.back() == meta
                  ? metas_.rbegin()
                  : std::find(metas_.rbegin(), metas_.rend(), meta);
    if (it != metas_.rend()) {
      meta_index = static_cast<uint16_t>(metas_.rend() - it - 1);
    } else {
      if (metas_.size() >= kNoMeta) return false;
      meta_index = static_cast<uint16_t>(metas_.size());
      metas_.push_back(meta);
    }
  }
  // Built in place: a header assembled elsewhere field by field and then copied over is read
  // back before its narrow stores land, which stalls. Records start 8-byte aligned.
  char* p = data_.data() + used_;
  const Header& h = *new (p) Header{.size = static_cast<uint32_t>(size),
                                    .meta = meta_index,
                                    .facility = r.facility,
                                    .severity = r.severity,
                                    .event_ns = r.event_ns,
                                    .receive_ns = r.receive_ns,
                                    .pid = r.pid,
                                    .uid = r.uid,
                                    .gid = r.gid,
                                    .len_sd = static_cast<uint32_t>(r.structured_data.size()),
                                    .len_msg = static_cast<uint32_t>(r.message.size()),
                                    .len_host = short_len(r.hostname),
                                    .len_app = short_len(r.app_name),
                                    .len_procid = short_len(r.procid),
                                    .len_msgid = short_len(r.msgid),
                                    .stream = static_cast<uint8_t>(r.stream),
                                    .zero = {}};
  p += sizeof h;
  // The views are read as pointer and size, not copied whole: a record just built from
  // registers was stored in halves, and a whole-view read waits for both to land (perf).
  auto put = [&p](const std::string_view& s, size_t n) {
    if (n) std::memcpy(p, s.data(), n);
    p += n;
  };
  put(r.hostname, h.len_host);
  put(r.app_name, h.len_app);
  put(r.procid, h.len_procid);
  put(r.msgid, h.len_msgid);
  put(r.structured_data, h.len_sd);
  put(r.message, h.len_msg);
  std::memset(p, 0, data_.data() + used_ + size - p);  // the padding, as for the header's
  used_ += size;
  ++count_;
  return true;
}

size_t Segment::decode(size_t offset, Record& out) const {
  const char* p = data_.data() + offset;
  const Header& h = *std::launder(reinterpret_cast<const Header*>(p));
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
