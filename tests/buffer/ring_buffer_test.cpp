#include "buffer/ring_buffer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice {
namespace {

Record make(std::string_view message) {
  Record r;
  r.message = message;
  r.app_name = "app";
  r.event_ns = 1;
  r.receive_ns = 2;
  return r;
}

// Reads and settles, as an output that delivers at once would.
std::vector<std::string> read_all(RingBuffer& b, RingBuffer::ConsumerId id, size_t max = 1 << 20) {
  std::vector<std::string> out;
  b.read(id, max, [&](const Record& r) { out.emplace_back(r.message); });
  b.ack(id, out.size());
  return out;
}

// received = read + dropped_full + unread, for every consumer, at every moment.
void expect_identity(const RingBuffer& b, RingBuffer::ConsumerId id) {
  auto s = b.stats(id);
  EXPECT_EQ(s.received, s.read + s.dropped_full + s.unread);
}

TEST(RingBuffer, RoundTripsEveryField) {
  RingBuffer b(1 << 20, WhenFull::drop_newest);
  auto id = b.add_consumer(nullptr);
  auto meta = std::make_shared<SourceMeta>();
  meta->input = "local";
  meta->container_name = "web";
  const std::string message("a\0b\nc", 5);
  Record in = make(message);
  in.hostname = "h";
  in.procid = "42";
  in.msgid = "ID";
  in.structured_data = "[x a=\"1\"]";
  in.facility = 3;
  in.severity = 6;
  in.stream = Stream::stderr_stream;
  in.pid = 7;
  in.uid = 8;
  in.gid = 9;
  in.event_ns = -5;
  in.receive_ns = 123456789012345678;
  ASSERT_TRUE(b.push(in, meta));
  int seen = 0;
  b.read(id, 10, [&](const Record& r) {
    ++seen;
    EXPECT_EQ(r.message, std::string_view("a\0b\nc", 5));
    EXPECT_EQ(r.hostname, "h");
    EXPECT_EQ(r.app_name, "app");
    EXPECT_EQ(r.procid, "42");
    EXPECT_EQ(r.msgid, "ID");
    EXPECT_EQ(r.structured_data, "[x a=\"1\"]");
    EXPECT_EQ(r.facility, 3);
    EXPECT_EQ(r.severity, 6);
    EXPECT_EQ(r.stream, Stream::stderr_stream);
    EXPECT_EQ(r.pid, 7u);
    EXPECT_EQ(r.uid, 8u);
    EXPECT_EQ(r.gid, 9u);
    EXPECT_EQ(r.event_ns, -5);
    EXPECT_EQ(r.receive_ns, 123456789012345678);
    ASSERT_NE(r.meta, nullptr);
    EXPECT_EQ(r.meta->container_name, "web");
  });
  EXPECT_EQ(seen, 1);
}

TEST(RingBuffer, EveryConsumerReadsEveryRecordInOrder) {
  RingBuffer b(1 << 20, WhenFull::drop_newest);
  auto fast = b.add_consumer(nullptr);
  auto slow = b.add_consumer(nullptr);
  std::vector<std::string> sent;
  for (int i = 0; i < 10000; ++i) {
    sent.push_back("message " + std::to_string(i));
    ASSERT_TRUE(b.push(make(sent.back()), nullptr));
    if (i % 100 == 99) {
      EXPECT_EQ(read_all(b, fast).size(), 100u);
    }
  }
  std::vector<std::string> got;
  while (true) {
    auto part = read_all(b, slow, 333);
    if (part.empty()) break;
    got.insert(got.end(), part.begin(), part.end());
  }
  EXPECT_EQ(got, sent);
  expect_identity(b, fast);
  expect_identity(b, slow);
}

TEST(RingBuffer, RewindHandsOverWhatWasReadButNotAcknowledgedAgainInOrder) {
  RingBuffer b(1 << 20, WhenFull::drop_newest);
  auto id = b.add_consumer(nullptr);
  for (const char* m : {"a", "b", "c", "d"}) ASSERT_TRUE(b.push(make(m), nullptr));
  std::vector<std::string> first;
  b.read(id, 3, [&](const Record& r) { first.emplace_back(r.message); });
  ASSERT_EQ(first, (std::vector<std::string>{"a", "b", "c"}));
  b.ack(id, 1);  // "a" settled; "b" and "c" are in flight
  b.rewind(id);
  EXPECT_EQ(b.stats(id).unread, 3u);
  expect_identity(b, id);
  EXPECT_EQ(read_all(b, id), (std::vector<std::string>{"b", "c", "d"}));
  EXPECT_EQ(b.stats(id).acked, 4u);
  expect_identity(b, id);
}

TEST(RingBuffer, DropNewestKeepsTheOldestAndCountsEachDropPerConsumer) {
  RingBuffer b(64 * 1024, WhenFull::drop_newest);
  auto a = b.add_consumer(nullptr);
  auto c = b.add_consumer(nullptr);
  const std::string payload(200, 'x');
  uint64_t accepted = 0, rejected = 0;
  for (int i = 0; i < 5000; ++i) {
    if (b.push(make(payload), nullptr)) {
      ++accepted;
    } else {
      ++rejected;
    }
    expect_identity(b, a);
  }
  EXPECT_GT(rejected, 0u);
  EXPECT_LE(b.bytes_used(), b.max_bytes());
  EXPECT_EQ(b.stats(a).dropped_full, rejected);
  EXPECT_EQ(b.stats(c).dropped_full, rejected);
  EXPECT_EQ(read_all(b, a).size(), accepted);
  expect_identity(b, a);
  expect_identity(b, c);
}

TEST(RingBuffer, DropOldestKeepsTheNewest) {
  RingBuffer b(64 * 1024, WhenFull::drop_oldest);
  auto id = b.add_consumer(nullptr);
  std::vector<std::string> sent;
  for (int i = 0; i < 5000; ++i) {
    sent.push_back(std::string(150, 'x') + std::to_string(i));
    ASSERT_TRUE(b.push(make(sent.back()), nullptr));
    EXPECT_LE(b.bytes_used(), b.max_bytes());
    expect_identity(b, id);
  }
  auto got = read_all(b, id);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.back(), sent.back());
  // What survives is a contiguous run ending at the newest record.
  std::vector<std::string> tail(sent.end() - static_cast<long>(got.size()), sent.end());
  EXPECT_EQ(got, tail);
  EXPECT_EQ(b.stats(id).dropped_full, sent.size() - got.size());
  expect_identity(b, id);
}

TEST(RingBuffer, SlowConsumerLosesUnderDropOldestFastOneDoesNot) {
  RingBuffer b(64 * 1024, WhenFull::drop_oldest);
  auto fast = b.add_consumer(nullptr);
  auto slow = b.add_consumer(nullptr);
  uint64_t fast_read = 0;
  for (int i = 0; i < 20000; ++i) {
    b.push(make(std::string(100, 'y')), nullptr);
    fast_read += read_all(b, fast).size();
  }
  EXPECT_EQ(fast_read, 20000u);
  EXPECT_EQ(b.stats(fast).dropped_full, 0u);
  EXPECT_GT(b.stats(slow).dropped_full, 0u);
  expect_identity(b, fast);
  expect_identity(b, slow);
}

TEST(RingBuffer, RecordLargerThanSegmentFitsAlone) {
  RingBuffer b(8 << 20, WhenFull::drop_newest);
  auto id = b.add_consumer(nullptr);
  const std::string big(3 << 20, 'z');
  ASSERT_TRUE(b.push(make(big), nullptr));
  ASSERT_TRUE(b.push(make("small"), nullptr));
  auto got = read_all(b, id);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0], big);
  EXPECT_EQ(got[1], "small");
}

TEST(RingBuffer, RecordLargerThanTheBufferIsDroppedAndCounted) {
  RingBuffer b(64 * 1024, WhenFull::drop_oldest);
  auto id = b.add_consumer(nullptr);
  EXPECT_FALSE(b.push(make(std::string(100 * 1024, 'q')), nullptr));
  EXPECT_EQ(b.stats(id).dropped_full, 1u);
  expect_identity(b, id);
}

TEST(RingBuffer, MemoryIsReleasedOnceEveryConsumerHasRead) {
  RingBuffer b(4 << 20, WhenFull::drop_newest);
  auto a = b.add_consumer(nullptr);
  auto c = b.add_consumer(nullptr);
  for (int i = 0; i < 20000; ++i) b.push(make(std::string(100, 'm')), nullptr);
  const size_t full = b.bytes_used();
  read_all(b, a);
  EXPECT_EQ(b.bytes_used(), full);  // c still needs them
  read_all(b, c);
  EXPECT_LT(b.bytes_used(), full);
  EXPECT_EQ(b.records_buffered(), 0u);
}

// A drained buffer keeps the segment it fills and two freed ones for the next: the rest of
// what a burst took goes back.
TEST(RingBuffer, ADrainedBufferKeepsAtMostThreeSegments) {
  RingBuffer b(16 << 20, WhenFull::drop_newest);
  auto id = b.add_consumer(nullptr);
  for (int i = 0; i < 60000; ++i) b.push(make(std::string(100, 'm')), nullptr);
  ASSERT_GT(b.bytes_used(), 10 * b.segment_bytes());
  read_all(b, id);
  EXPECT_EQ(b.bytes_used(), 3 * b.segment_bytes());
}

// Memory kept for reuse is counted, and a full buffer takes it before it refuses a record:
// after a drain, the buffer holds as many records as it did the first time it filled, and a
// record too large for a kept segment gets the kept segments' room.
TEST(RingBuffer, KeptMemoryNeverTakesTheRoomOfRecords) {
  RingBuffer b(64 << 10, WhenFull::drop_newest);
  auto id = b.add_consumer(nullptr);
  const std::string line(100, 'm');
  auto fill = [&] {
    size_t n = 0;
    while (b.push(make(line), nullptr)) ++n;
    return n;
  };
  const size_t first = fill();
  ASSERT_GT(first, 0u);
  read_all(b, id);
  ASSERT_GT(b.bytes_used(), b.segment_bytes());  // spares kept
  EXPECT_EQ(fill(), first);
  EXPECT_LE(b.bytes_used(), b.max_bytes());
  read_all(b, id);
  const std::string large(b.max_bytes() - 2 * b.segment_bytes(), 'L');
  EXPECT_TRUE(b.push(make(large), nullptr));
  EXPECT_LE(b.bytes_used(), b.max_bytes());
}

TEST(RingBuffer, NotifyWakesOnlyConsumersWithUnreadRecords) {
  RingBuffer b(1 << 20, WhenFull::drop_newest);
  int woken_a = 0, woken_b = 0;
  auto a = b.add_consumer([&] { ++woken_a; });
  b.add_consumer([&] { ++woken_b; });
  b.notify();
  EXPECT_EQ(woken_a + woken_b, 0);
  b.push(make("x"), nullptr);
  b.notify();
  EXPECT_EQ(woken_a, 1);
  EXPECT_EQ(woken_b, 1);
  read_all(b, a);
  b.notify();
  EXPECT_EQ(woken_a, 1);
  EXPECT_EQ(woken_b, 2);
}

TEST(RingBuffer, MetadataLivesAsLongAsItsRecords) {
  RingBuffer b(1 << 20, WhenFull::drop_newest);
  auto id = b.add_consumer(nullptr);
  std::weak_ptr<SourceMeta> weak;
  {
    auto meta = std::make_shared<SourceMeta>();
    meta->container_id = "abc";
    weak = meta;
    b.push(make("x"), meta);
  }
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(b.read(id, 1, [](const Record& r) { EXPECT_EQ(r.meta->container_id, "abc"); }), 1u);
  b.ack(id, 1);
  for (int i = 0; i < 10; ++i) b.push(make("y"), nullptr);  // reuses the read segment
  read_all(b, id);
  EXPECT_TRUE(weak.expired());
}

TEST(RingBuffer, ReadButUnsettledRecordsKeepTheirSpace) {
  RingBuffer b(8 << 20, WhenFull::drop_newest);
  auto id = b.add_consumer(nullptr);
  for (int i = 0; i < 20000; ++i) b.push(make(std::string(100, 'm')), nullptr);
  const size_t full = b.bytes_used();
  EXPECT_EQ(b.read(id, 20000, [](const Record&) {}), 20000u);
  EXPECT_EQ(b.bytes_used(), full);
  EXPECT_EQ(b.records_buffered(), 20000u);
  b.ack(id, 20000);
  EXPECT_LT(b.bytes_used(), full);
  EXPECT_EQ(b.records_buffered(), 0u);
  EXPECT_EQ(b.stats(id).acked, 20000u);
}

TEST(RingBuffer, DropOldestNeverEvictsRecordsInFlight) {
  RingBuffer b(64 * 1024, WhenFull::drop_oldest);
  auto id = b.add_consumer(nullptr);
  // Read the first records and hold them unsettled, as an output waiting for its peer would.
  for (int i = 0; i < 10; ++i) b.push(make("in flight " + std::to_string(i)), nullptr);
  std::vector<std::string> held;
  b.read(id, 10, [&](const Record& r) { held.emplace_back(r.message); });
  uint64_t refused = 0;
  for (int i = 0; i < 5000; ++i) refused += !b.push(make(std::string(150, 'n')), nullptr);
  EXPECT_GT(refused, 0u);  // the pinned oldest segment made the newest go instead
  EXPECT_LE(b.bytes_used(), b.max_bytes());
  expect_identity(b, id);
  // Once settled, the oldest can go again.
  b.ack(id, 10);
  EXPECT_TRUE(b.push(make("after"), nullptr));
  expect_identity(b, id);
}

TEST(RingBuffer, TakeOverRereadsWhatThePredecessorHadNotSettled) {
  RingBuffer b(1 << 20, WhenFull::drop_newest);
  auto old = b.add_consumer(nullptr);
  for (int i = 0; i < 10; ++i) b.push(make("r" + std::to_string(i)), nullptr);
  b.read(old, 6, [](const Record&) {});
  b.ack(old, 4);  // r0..r3 delivered; r4, r5 in flight; r6..r9 unread
  auto next = b.take_over(old, nullptr);
  EXPECT_EQ(read_all(b, next), (std::vector<std::string>{"r4", "r5", "r6", "r7", "r8", "r9"}));
  EXPECT_EQ(b.stats(next).received, 6u);
  expect_identity(b, next);
}

}  // namespace
}  // namespace sluice
