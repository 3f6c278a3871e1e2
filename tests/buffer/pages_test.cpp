#include "buffer/pages.h"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <utility>
#include <vector>

namespace sluice {
namespace {

const size_t kPage = static_cast<size_t>(sysconf(_SC_PAGESIZE));

// Resident pages of a mapping, from mincore(2).
size_t resident_pages(const Pages& p) {
  std::vector<unsigned char> v(p.size() / kPage);
  EXPECT_EQ(mincore(p.data(), p.size(), v.data()), 0);
  size_t n = 0;
  for (unsigned char c : v) n += c & 1;
  return n;
}

TEST(BufferPages, ComeInWholePagesAndOnlyWrittenOnesAreResident) {
  Pages p(3 * kPage + 1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p.size(), 4 * kPage);
  EXPECT_EQ(resident_pages(p), 0u);
  std::memset(p.data() + kPage, 'x', 10);
  EXPECT_EQ(resident_pages(p), 1u);
}

TEST(BufferPages, ShrinkKeepsTheFirstBytesAndGivesBackTheRest) {
  Pages p(4 * kPage);
  std::memset(p.data(), 'a', 4 * kPage);
  p.shrink(kPage + 1);
  EXPECT_EQ(p.size(), 2 * kPage);
  EXPECT_EQ(p.data()[kPage], 'a');
  EXPECT_EQ(resident_pages(p), 2u);
  p.shrink(0);
  EXPECT_FALSE(p);
  EXPECT_EQ(p.size(), 0u);
}

TEST(BufferPages, MovingHandsOverTheMapping) {
  Pages a(kPage);
  a.data()[0] = 'z';
  char* const at = a.data();
  Pages b = std::move(a);
  EXPECT_FALSE(a);  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  EXPECT_EQ(b.data(), at);
  EXPECT_EQ(b.data()[0], 'z');
  a = std::move(b);
  EXPECT_EQ(a.data(), at);
  EXPECT_FALSE(b);  // NOLINT(bugprone-use-after-move)
}

}  // namespace
}  // namespace sluice
