#include "agent/time/calendar.h"

#include <array>

namespace sluice::calendar {

using std::string_view;

// Exactly n digits.
bool read_digits(string_view s, size_t& i, int n, int& out) {
  int v = 0;
  for (int k = 0; k < n; ++k) {
    const int c = at(s, i + k);
    if (!is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  i += n;
  out = v;
  return true;
}

bool is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int days_in_month(int64_t y, int m) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): plain
// arithmetic, no timegm and no time zone.
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Year of a day count since 1970-01-01 (inverse of days_from_civil).
int64_t year_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  return yoe + era * 400 + (mp >= 10);  // months 11, 12 of the March-based year are Jan, Feb
}

// "hh:mm:ss"; 60 seconds allowed for a leap second.
bool read_time(string_view s, size_t& i, int64_t& sec_of_day) {
  // Its eight bytes read in place: a call and a bounds check per digit cost a third more.
  if (s.size() < i + 8) return false;
  const char* p = s.data() + i;
  auto digit = [p](int k) { return static_cast<unsigned>(static_cast<unsigned char>(p[k]) - '0'); };
  const unsigned h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4), s1 = digit(6),
                 s2 = digit(7);
  if (h1 > 9 || h2 > 9 || m1 > 9 || m2 > 9 || s1 > 9 || s2 > 9 || p[2] != ':' || p[5] != ':') {
    return false;
  }
  const unsigned h = h1 * 10 + h2, m = m1 * 10 + m2, sec = s1 * 10 + s2;
  if (h > 23 || m > 59 || sec > 60) return false;
  i += 8;
  sec_of_day = h * 3600 + m * 60 + sec;
  return true;
}

// RFC 3339 date-time as RFC 5424 restricts it (uppercase T and Z, offset "Z" or "+hh:mm").
// Fractions beyond nanoseconds are accepted and truncated.
bool parse_rfc3339(string_view s, size_t& i, int64_t& ns) {
  size_t k = i;
  int y = 0, mo = 0, d = 0;
  int64_t sec_of_day = 0;
  if (!read_digits(s, k, 4, y) || !expect(s, k, '-') || !read_digits(s, k, 2, mo) ||
      !expect(s, k, '-') || !read_digits(s, k, 2, d) || !expect(s, k, 'T') ||
      !read_time(s, k, sec_of_day)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return false;
  int64_t frac = 0;
  if (expect(s, k, '.')) {
    int n = 0;
    for (; is_digit(at(s, k)); ++k, ++n) {
      if (n < 9) frac = frac * 10 + (s[k] - '0');
    }
    if (n == 0) return false;
    for (; n < 9; ++n) frac *= 10;
  }
  int64_t offset = 0;
  const int sign = at(s, k);
  if (sign == 'Z') {
    ++k;
  } else if (sign == '+' || sign == '-') {
    ++k;
    int oh = 0, om = 0;
    if (!read_digits(s, k, 2, oh) || !expect(s, k, ':') || !read_digits(s, k, 2, om) || oh > 23 ||
        om > 59) {
      return false;
    }
    offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  } else {
    return false;
  }
  const int64_t secs = days_from_civil(y, mo, d) * kSecPerDay + sec_of_day - offset;
  if (secs > kMaxSec || secs < -kMaxSec) return false;
  ns = secs * kNsPerSec + frac;
  i = k;
  return true;
}

}  // namespace sluice::calendar
