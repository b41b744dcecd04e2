#include "agora/core/time_format.hpp"

#include <chrono>
#include <cstdio>

namespace agora {

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

  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld", static_cast<int>(ymd.year()),
                        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                        static_cast<long>(tod.hours().count()), static_cast<long>(tod.minutes().count()),
                        static_cast<long>(tod.seconds().count()));
  std::string out(buf, static_cast<std::size_t>(n));
  if (frac != 0) {
    char fb[8];
    std::snprintf(fb, sizeof fb, ".%06ld", static_cast<long>(frac));
    std::string f(fb);
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  out += 'Z';
  return out;
}

}  // namespace agora
