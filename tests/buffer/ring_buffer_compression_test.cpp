// Compressed sealed segments: an outage holds several times more records in the same
// max_bytes, every record comes back in order, and no CPU goes to compression while the
// outputs keep up.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "buffer/ring_buffer.h"
#include "tests/support/container_logs.h"

namespace sluice {
namespace {

constexpr size_t kMaxBytes = 64 << 20;
constexpr int64_t kT0 = 1795000000LL * 1000000000LL;

Record record_of(const std::string& message, uint64_t i) {
  Record r;
  r.message = message;
  r.app_name = "shop";
  r.stream = i % 10 >= 7 ? Stream::stderr_stream : Stream::stdout_stream;
  r.event_ns = kT0 + static_cast<int64_t>(i) * 1000000;
  r.receive_ns = r.event_ns + 350000 + static_cast<int64_t>(i % 7) * 1000;
  return r;
}

// Pushes realistic records into a buffer whose only output is down, until the buffer drops.
size_t fill_during_outage(RingBuffer& b, const std::shared_ptr<const SourceMeta>& meta) {
  size_t n = 0;
  for (;; ++n) {
    const std::string line = test::container_log_line(n);
    if (!b.push(record_of(line, n), meta)) return n;
    EXPECT_LE(b.bytes_used(), kMaxBytes);
  }
}

std::shared_ptr<const SourceMeta> shop_meta() {
  auto m = std::make_shared<SourceMeta>();
  m->input = "docker";
  m->container_name = "shop-7f9c";
  m->marathon_app_id = "/prod/shop";
  return m;
}

TEST(RingBufferCompression, AnOutageHoldsFiveTimesMoreRecordsAndLosesNoneOfThem) {
  const auto meta = shop_meta();
  RingBuffer plain(kMaxBytes, WhenFull::drop_newest, false);
  plain.add_consumer(nullptr);  // the output that is down
  const size_t plain_records = fill_during_outage(plain, meta);

  RingBuffer packed(kMaxBytes, WhenFull::drop_newest, true);
  const auto down = packed.add_consumer(nullptr);
  const size_t packed_records = fill_during_outage(packed, meta);
  std::printf(
      "[ numbers  ] %zu MiB: %zu records uncompressed, %zu compressed (%.1fx); %zu compressed "
      "bytes hold %zu record bytes (%.1fx)\n",
      kMaxBytes >> 20, plain_records, packed_records,
      static_cast<double>(packed_records) / static_cast<double>(plain_records),
      packed.compressed_bytes(), packed.compressed_records_bytes(),
      static_cast<double>(packed.compressed_records_bytes()) /
          static_cast<double>(packed.compressed_bytes()));
  EXPECT_GE(packed_records, 5 * plain_records);

  // The output returns: every record that fit arrives, in order, intact.
  size_t next = 0;
  bool intact = true;
  for (size_t got; (got = packed.read(down, 4096, [&](const Record& r) {
                     const std::string want = test::container_log_line(next);
                     intact &= r.message == want && r.event_ns == record_of(want, next).event_ns &&
                               r.meta == meta.get();
                     ++next;
                   })) > 0;) {
    packed.ack(down, got);
  }
  EXPECT_TRUE(intact);
  EXPECT_EQ(next, packed_records);
  EXPECT_EQ(packed.records_buffered(), 0u);
  EXPECT_EQ(packed.compressed_bytes(), 0u);
  const auto s = packed.stats(down);
  EXPECT_EQ(s.received, s.read + s.dropped_full + s.unread);
}

TEST(RingBufferCompression, NothingIsCompressedWhileTheOutputsKeepUp) {
  const auto meta = shop_meta();
  RingBuffer b(kMaxBytes, WhenFull::drop_newest, true);
  const auto fast = b.add_consumer(nullptr);
  for (uint64_t i = 0; i < 200000; ++i) {
    const std::string line = test::container_log_line(i);
    ASSERT_TRUE(b.push(record_of(line, i), meta));
    if (i % 100 == 99) b.ack(fast, b.read(fast, 100, [](const Record&) {}));
  }
  EXPECT_EQ(b.compressed_bytes(), 0u);
  EXPECT_EQ(b.stats(fast).dropped_full, 0u);
}

TEST(RingBufferCompression, AFastOutputIsNotHeldBackByASlowOneOrItsCompressedSegments) {
  const auto meta = shop_meta();
  constexpr size_t kSmall = 8 << 20;  // small enough for the slow output to lose its oldest
  RingBuffer b(kSmall, WhenFull::drop_oldest, true);
  const auto slow = b.add_consumer(nullptr);
  const auto fast = b.add_consumer(nullptr);
  uint64_t slow_next = 0;  // the index the slow output may see next, at the least
  bool slow_in_order = true;
  for (uint64_t i = 0; i < 400000; ++i) {
    const std::string line = test::container_log_line(i);
    b.push(record_of(line, i), meta);
    if (i % 64 == 63) b.ack(fast, b.read(fast, 64, [](const Record&) {}));
    if (i % 4096 == 4095) {  // the slow one reads a little now and then, from wherever it is
      b.ack(slow, b.read(slow, 256, [&](const Record& r) {
        const auto index = static_cast<uint64_t>((r.event_ns - kT0) / 1000000);
        slow_in_order &= index >= slow_next && r.message == test::container_log_line(index);
        slow_next = index + 1;
      }));
    }
    ASSERT_LE(b.bytes_used(), kSmall + b.segment_bytes());  // the compressed total plus one segment
  }
  EXPECT_TRUE(slow_in_order);
  EXPECT_EQ(b.stats(fast).dropped_full, 0u);
  EXPECT_GT(b.stats(slow).dropped_full, 0u);  // drop_oldest took the slow output's oldest
  EXPECT_GT(b.compressed_bytes(), 0u);
  for (auto id : {slow, fast}) {
    const auto s = b.stats(id);
    EXPECT_EQ(s.received, s.read + s.dropped_full + s.unread);
  }
}

// An output that has read far ahead without settling (bulk requests in flight) holds those
// records in the buffer, decompressed as it read them: under pressure they are compressed
// again, so that the buffer stays within max_bytes plus the segment being read; read again
// after a rewind they come back whole.
TEST(RingBufferCompression, RecordsReadButNotSettledAreCompressedAgainWhenTheBufferFills) {
  const auto meta = shop_meta();
  constexpr size_t kSmall = 8 << 20;
  RingBuffer b(kSmall, WhenFull::drop_newest, true);
  const auto out = b.add_consumer(nullptr);
  uint64_t pushed = 0;
  auto push_until_refused = [&] {
    while (b.push(record_of(test::container_log_line(pushed), pushed), meta)) ++pushed;
    ++pushed;  // the refused one
  };
  push_until_refused();
  const uint64_t ahead = pushed / 2;
  ASSERT_EQ(b.read(out, ahead, [](const Record&) {}), ahead);  // settling none of them
  ASSERT_GT(b.bytes_used(), kSmall + b.segment_bytes());       // what it read is decompressed
  push_until_refused();
  EXPECT_LE(b.bytes_used(), kSmall + b.segment_bytes());
  b.rewind(out);
  uint64_t index = 0;
  bool whole = true;
  const size_t again = b.read(out, ahead, [&](const Record& r) {
    whole &= r.message == test::container_log_line(index++);
  });
  EXPECT_EQ(again, ahead);
  EXPECT_TRUE(whole);
  b.ack(out, again);
  const auto s = b.stats(out);
  EXPECT_EQ(s.received, s.read + s.dropped_full + s.unread);
}

}  // namespace
}  // namespace sluice
