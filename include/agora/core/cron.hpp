#pragma once
// Cron expressions in UTC: five fields (minute hour day-of-month month day-of-week) or
// six with a leading seconds field. Each field: `*`, `n`, `a-b`, lists `a,b`, steps `*/n`,
// `a-b/n`, `a/n`. Day-of-week 0-7 (0 and 7 are Sunday). When both day fields are
// restricted a day matching either runs, as in Vixie cron.

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace agora {

class CronSchedule {
 public:
  /// Parses an expression; throws agora::Error{bad_request} naming the bad field.
  static CronSchedule parse(std::string_view expression);

  /// The first time strictly after `after` that matches (whole seconds), or nullopt if
  /// none within five years (e.g. 30 February).
  std::optional<std::chrono::system_clock::time_point> next_after(std::chrono::system_clock::time_point after) const;

  const std::string& expression() const { return expression_; }

 private:
  std::string expression_;
  std::bitset<60> seconds_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;    // 1..31
  std::bitset<13> months_;  // 1..12
  std::bitset<7> weekdays_; // 0..6, Sunday = 0
  bool days_restricted_ = false;
  bool weekdays_restricted_ = false;
};

}  // namespace agora
