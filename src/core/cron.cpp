#include "agora/core/cron.hpp"

#include <charconv>
#include <sstream>
#include <vector>

#include "agora/core/error.hpp"

namespace agora {
namespace {

[[noreturn]] void bad(std::string_view expr, std::string_view field, const std::string& why) {
  throw Error(ErrorKind::bad_request,
              "cron expression \"" + std::string(expr) + "\": " + std::string(field) + " field: " + why);
}

int number(std::string_view expr, std::string_view field, std::string_view s, int lo, int hi) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) bad(expr, field, "'" + std::string(s) + "' is not a number");
  if (v < lo || v > hi) bad(expr, field, std::to_string(v) + " is outside " + std::to_string(lo) + "-" + std::to_string(hi));
  return v;
}

/// Sets bits lo..hi of a field; returns whether the field is restricted (not `*`).
template <std::size_t N>
bool parse_field(std::string_view expr, std::string_view name, std::string_view text, int lo, int hi,
                 std::bitset<N>& bits) {
  bool restricted = text != "*";
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) bad(expr, name, "empty list item");
    int step = 1;
    if (auto slash = item.find('/'); slash != std::string_view::npos) {
      step = number(expr, name, item.substr(slash + 1), 1, hi);
      item = item.substr(0, slash);
      if (item.find('-') == std::string_view::npos && item != "*") {
        // `a/n`: from a to the end of the range.
        int from = number(expr, name, item, lo, hi);
        for (int v = from; v <= hi; v += step) bits.set(static_cast<std::size_t>(v));
        if (comma == std::string_view::npos) break;
        start = comma + 1;
        continue;
      }
    }
    int from = lo, to = hi;
    if (item != "*") {
      if (auto dash = item.find('-'); dash != std::string_view::npos) {
        from = number(expr, name, item.substr(0, dash), lo, hi);
        to = number(expr, name, item.substr(dash + 1), lo, hi);
        if (from > to) bad(expr, name, "range " + std::string(item) + " runs backwards");
      } else {
        from = to = number(expr, name, item, lo, hi);
      }
    }
    for (int v = from; v <= to; v += step) bits.set(static_cast<std::size_t>(v));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return restricted;
}

}  // namespace

CronSchedule CronSchedule::parse(std::string_view expression) {
  std::vector<std::string> fields;
  std::istringstream in{std::string(expression)};
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5 && fields.size() != 6) {
    throw Error(ErrorKind::bad_request, "cron expression \"" + std::string(expression) +
                                            "\": needs 5 fields (minute hour day month weekday) or 6 with seconds first");
  }
  CronSchedule c;
  c.expression_ = std::string(expression);
  std::size_t i = 0;
  if (fields.size() == 6) {
    parse_field(expression, "second", fields[i++], 0, 59, c.seconds_);
  } else {
    c.seconds_.set(0);
  }
  parse_field(expression, "minute", fields[i++], 0, 59, c.minutes_);
  parse_field(expression, "hour", fields[i++], 0, 23, c.hours_);
  c.days_restricted_ = parse_field(expression, "day-of-month", fields[i++], 1, 31, c.days_);
  parse_field(expression, "month", fields[i++], 1, 12, c.months_);
  std::bitset<8> weekdays;
  c.weekdays_restricted_ = parse_field(expression, "day-of-week", fields[i++], 0, 7, weekdays);
  for (std::size_t d = 0; d < 7; ++d) c.weekdays_[d] = weekdays[d];
  if (weekdays[7]) c.weekdays_.set(0);
  return c;
}

std::optional<std::chrono::system_clock::time_point> CronSchedule::next_after(
    std::chrono::system_clock::time_point after) const {
  using namespace std::chrono;
  auto t = floor<seconds>(after) + seconds{1};
  const auto limit = t + days{5 * 366};
  while (t < limit) {
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> tod{t - day};
    const auto month = static_cast<unsigned>(ymd.month());
    if (!months_[month]) {
      auto next_month = ymd.year() / ymd.month() / 1 + months{1};
      t = sys_days{next_month};
      continue;
    }
    const bool dom = days_[static_cast<unsigned>(ymd.day())];
    const bool dow = weekdays_[weekday{day}.c_encoding()];
    bool day_ok;
    if (days_restricted_ && weekdays_restricted_) day_ok = dom || dow;
    else if (days_restricted_) day_ok = dom;
    else if (weekdays_restricted_) day_ok = dow;
    else day_ok = true;
    if (!day_ok) {
      t = day + days{1};
      continue;
    }
    if (!hours_[static_cast<std::size_t>(tod.hours().count())]) {
      t = day + tod.hours() + hours{1};
      continue;
    }
    if (!minutes_[static_cast<std::size_t>(tod.minutes().count())]) {
      t = day + tod.hours() + tod.minutes() + minutes{1};
      continue;
    }
    if (!seconds_[static_cast<std::size_t>(tod.seconds().count())]) {
      t += seconds{1};
      continue;
    }
    return time_point_cast<system_clock::duration>(t);
  }
  return std::nullopt;
}

}  // namespace agora
