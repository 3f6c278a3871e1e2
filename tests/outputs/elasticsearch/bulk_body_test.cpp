#include "outputs/elasticsearch/bulk_body.h"

#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/gunzip.h"

namespace sluice::elasticsearch {
namespace {

using test::gunzip;

std::string inflated(const BulkBody& b) {
  std::string out;
  EXPECT_TRUE(gunzip(b.bytes(), out));
  return out;
}

// A bulk item like the output's: action line and an ECS-like document, distinct per i.
std::string item(size_t i, size_t padding = 0) {
  return "{\"create\":{\"_index\":\"sluice-2025.11.24\",\"_id\":\"" + std::to_string(i * 7919) +
         "\"}}\n{\"@timestamp\":\"2025-11-24T21:00:00." + std::to_string(i % 1000000) +
         "Z\",\"message\":\"doc " + std::to_string(i) + " " + std::string(padding, 'x') +
         "\",\"host\":{\"name\":\"node-7\"}}\n";
}

std::vector<std::string> items(size_t n) {
  std::vector<std::string> v;
  for (size_t i = 0; i < n; ++i) v.push_back(item(i, i % 97));
  return v;
}

BulkBody build(const std::vector<std::string>& docs, bool gzip) {
  BulkBody b(gzip);
  for (const auto& d : docs) b.add(d);
  b.finish();
  return b;
}

std::string concat(const std::vector<std::string>& docs, const std::vector<size_t>& which) {
  std::string s;
  for (const size_t i : which) s += docs[i];
  return s;
}

std::vector<size_t> all(size_t n) {
  std::vector<size_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

std::vector<std::string> recovered(const BulkBody& b, const std::vector<size_t>& which) {
  std::vector<std::string> out;
  b.for_each(which, [&](std::string_view d) { out.emplace_back(d); });
  return out;
}

TEST(BulkBody, WithoutGzipTheBytesAreTheDocuments) {
  const auto docs = items(1000);
  const BulkBody b = build(docs, false);
  EXPECT_FALSE(b.gzip());
  EXPECT_EQ(b.documents(), 1000u);
  EXPECT_EQ(b.bytes(), concat(docs, all(1000)));
  EXPECT_EQ(b.raw_bytes(), b.bytes().size());
  EXPECT_EQ(recovered(b, all(1000)), docs);
}

TEST(BulkBody, GzipBodyIsOneValidStreamOfTheDocuments) {
  const auto docs = items(5000);
  const BulkBody b = build(docs, true);
  ASSERT_GE(b.bytes().size(), 18u);  // gzip header and trailer at least
  EXPECT_EQ(static_cast<unsigned char>(b.bytes()[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(b.bytes()[1]), 0x8b);
  const std::string raw = concat(docs, all(5000));
  EXPECT_EQ(b.raw_bytes(), raw.size());
  EXPECT_EQ(inflated(b), raw);
  EXPECT_LT(b.bytes().size(), raw.size() / 4);  // such documents compress well
  EXPECT_EQ(recovered(b, all(5000)), docs);
}

TEST(BulkBody, AnEmptyGzipBodyIsStillAValidStream) {
  BulkBody b(true);
  b.finish();
  EXPECT_EQ(b.documents(), 0u);
  EXPECT_EQ(inflated(b), "");
}

TEST(BulkBody, RecoversASubsetAfterCompression) {
  auto docs = items(3000);
  docs[1500] = item(1500, 40000);  // spans several of the windows it is inflated in
  docs[1501] = item(1501, 16384);
  docs[2999] = item(2999, 20000);  // the last one, also spanning windows
  for (const bool gzip : {true, false}) {
    const BulkBody b = build(docs, gzip);
    const std::vector<size_t> which = {0, 1, 17, 1499, 1500, 1501, 1502, 2998, 2999};
    const auto got = recovered(b, which);
    ASSERT_EQ(got.size(), which.size()) << gzip;
    for (size_t k = 0; k < which.size(); ++k) EXPECT_EQ(got[k], docs[which[k]]) << gzip << k;

    const BulkBody sub = b.select(which);
    EXPECT_TRUE(sub.finished());
    EXPECT_EQ(sub.gzip(), gzip);
    EXPECT_EQ(sub.documents(), which.size());
    EXPECT_EQ(gzip ? inflated(sub) : std::string(sub.bytes()), concat(docs, which));
    EXPECT_EQ(recovered(sub, {4}), std::vector<std::string>{docs[1500]});
  }
}

TEST(BulkBody, HalvesOfABodyMakeItUpAgain) {
  const auto docs = items(777);
  const BulkBody b = build(docs, true);
  std::vector<size_t> first(388), second(777 - 388);
  std::iota(first.begin(), first.end(), 0);
  std::iota(second.begin(), second.end(), 388);
  const BulkBody a = b.select(first), c = b.select(second);
  EXPECT_EQ(a.documents() + c.documents(), 777u);
  EXPECT_EQ(inflated(a) + inflated(c), inflated(b));
  EXPECT_EQ(a.raw_bytes() + c.raw_bytes(), b.raw_bytes());
}

// The point of the class: a gzip body being built never holds its uncompressed bytes, and a
// finished one holds only what it sends.
TEST(BulkBody, MemoryStaysNearTheCompressedSize) {
  BulkBody b(true);
  size_t most = 0;
  for (size_t i = 0; b.raw_bytes() < (5u << 20); ++i) {
    b.add(item(i, i % 200));
    most = std::max(most, b.capacity());
  }
  b.finish();
  const size_t raw = b.raw_bytes(), sent = b.bytes().size();
  std::printf("[ numbers  ] %zu documents: %zu raw bytes, %zu gzip, largest buffer %zu\n",
              b.documents(), raw, sent, most);
  EXPECT_LT(most, raw / 4);                // the raw body never existed in full
  EXPECT_LE(most, 2 * sent + (64 << 10));  // growth by doubling, from 16 KiB
  EXPECT_LE(b.capacity(), sent + 64);      // finished: the room is given back
}

TEST(BulkBody, MisuseIsRefused) {
  BulkBody b(true);
  b.add(item(0));
  EXPECT_THROW(b.for_each(std::vector<size_t>{0}, [](std::string_view) {}), std::logic_error);
  b.finish();
  EXPECT_THROW(b.add(item(1)), std::logic_error);
  EXPECT_THROW(b.for_each(std::vector<size_t>{1}, [](std::string_view) {}), std::out_of_range);
  BulkBody two(false);
  two.add(item(0));
  two.add(item(1));
  two.finish();
  EXPECT_THROW(two.for_each(std::vector<size_t>{1, 0}, [](std::string_view) {}),
               std::out_of_range);  // ascending only
}

}  // namespace
}  // namespace sluice::elasticsearch
