#include "agora/core/time_format.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace agora {

std::int64_t now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

std::string format_rfc3339_micros(std::int64_t micros) {
  using namespace std::chrono;
  std::int64_t secs = micros / 1'000'000;
  std::int64_t frac = micros % 1'000'000;
  if (frac < 0) {
    frac += 1'000'000;
    secs -= 1;
  }
  const sys_days day = floor<days>(sys_seconds{seconds{secs}});
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> tod{seconds{secs} - day.time_since_epoch()};

  // Written digit by digit: this runs for every date of every summary on a page.
  char buf[40];
  auto put = [&](std::size_t at, long v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) buf[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
  };
  std::size_t n = 19;
  if (const int y = static_cast<int>(ymd.year()); y >= 0 && y <= 9999) {
    put(0, y, 4);
    buf[4] = '-';
    put(5, static_cast<unsigned>(ymd.month()), 2);
    buf[7] = '-';
    put(8, static_cast<unsigned>(ymd.day()), 2);
    buf[10] = 'T';
    put(11, tod.hours().count(), 2);
    buf[13] = ':';
    put(14, tod.minutes().count(), 2);
    buf[16] = ':';
    put(17, tod.seconds().count(), 2);
  } else {  // beyond four digits: never on a hot path
    n = static_cast<std::size_t>(std::snprintf(buf, 28, "%04d-%02u-%02uT%02ld:%02ld:%02ld", y,
                                               static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                                               static_cast<long>(tod.hours().count()),
                                               static_cast<long>(tod.minutes().count()),
                                               static_cast<long>(tod.seconds().count())));
  }
  if (frac != 0) {
    buf[n++] = '.';
    put(n, static_cast<long>(frac), 6);
    n += 6;
    while (buf[n - 1] == '0') --n;  // trailing zeros dropped
  }
  buf[n++] = 'Z';
  return std::string(buf, n);
}

std::optional<std::int64_t> parse_rfc3339_micros(std::string_view t) {
  using namespace std::chrono;
  auto digits = [&](std::size_t pos, std::size_t n) -> std::optional<int> {
    if (pos + n > t.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') || t[13] != ':' || t[16] != ':') {
    return std::nullopt;
  }
  auto y = digits(0, 4), mo = digits(5, 2), d = digits(8, 2), h = digits(11, 2), mi = digits(14, 2), s = digits(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *h > 23 || *mi > 59 || *s > 60) return std::nullopt;
  const year_month_day ymd{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  std::size_t pos = 19;
  std::int64_t frac = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (n < 6) frac = frac * 10 + (t[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) return std::nullopt;
    for (int i = std::min(n, 6); i < 6; ++i) frac *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
    ++pos;
  } else if (pos + 6 == t.size() && (t[pos] == '+' || t[pos] == '-') && t[pos + 3] == ':') {
    auto oh = digits(pos + 1, 2), om = digits(pos + 4, 2);
    if (!oh || !om || *oh > 23 || *om > 59) return std::nullopt;
    offset_seconds = (*oh * 3600 + *om * 60) * (t[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != t.size()) return std::nullopt;
  const auto secs = sys_days{ymd}.time_since_epoch() / seconds{1} + *h * 3600 + *mi * 60 + *s - offset_seconds;
  return static_cast<std::int64_t>(secs) * 1'000'000 + frac;
}

}  // namespace agora
