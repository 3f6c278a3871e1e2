#include "inputs/docker/multiline.h"

#include <gtest/gtest.h>

namespace sluice::docker {
namespace {

struct Collected {
  std::vector<std::string> texts;
  std::vector<size_t> line_counts;
  MultilineJoiner::Sink sink() {
    return [this](const MultilineJoiner::Joined& j) {
      texts.emplace_back(j.line.text);
      line_counts.push_back(j.line_timestamps.size());
    };
  }
};

LogLine line(std::string_view text, int64_t ts = 1) {
  return LogLine{Stream::stdout_stream, true, ts, text, false};
}

MultilineRule rule(const std::string& pattern, size_t max_bytes = 1 << 20) {
  std::string error;
  auto r = make_multiline_rule(pattern, 1000, max_bytes, error);
  EXPECT_TRUE(r) << error;
  return *r;
}

TEST(Multiline, JavaStackTraceBecomesOneRecord) {
  MultilineJoiner j(rule("^\\S"));
  Collected c;
  for (auto l : {"Exception in thread \"main\" java.lang.IllegalStateException: boom",
                 "\tat com.shop.Cart.add(Cart.java:42)", "\tat com.shop.Main.main(Main.java:7)",
                 "next record", "  continued"}) {
    j.add(line(l), c.sink());
  }
  ASSERT_EQ(c.texts.size(), 1u);
  EXPECT_EQ(c.texts[0],
            "Exception in thread \"main\" java.lang.IllegalStateException: boom\n"
            "\tat com.shop.Cart.add(Cart.java:42)\n\tat com.shop.Main.main(Main.java:7)");
  EXPECT_EQ(c.line_counts[0], 3u);
  EXPECT_TRUE(j.holding());
  j.flush(c.sink());
  ASSERT_EQ(c.texts.size(), 2u);
  EXPECT_EQ(c.texts[1], "next record\n  continued");
  EXPECT_FALSE(j.holding());
}

TEST(Multiline, ARecordEndsAtMaxBytes) {
  MultilineJoiner j(rule("^\\S", 20));
  Collected c;
  j.add(line("start 0123456789"), c.sink());
  j.add(line(" more 0123456789"), c.sink());  // would pass 20 bytes: the first record is complete
  j.flush(c.sink());
  EXPECT_EQ(c.texts, (std::vector<std::string>{"start 0123456789", " more 0123456789"}));
}

TEST(Multiline, InvalidPatternIsAClearError) {
  std::string error;
  EXPECT_FALSE(make_multiline_rule("(unclosed", 1000, 1024, error));
  EXPECT_NE(error.find("'(unclosed' is not a valid pattern"), std::string::npos) << error;
}

}  // namespace
}  // namespace sluice::docker
