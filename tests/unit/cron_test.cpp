#include <gtest/gtest.h>

#include "agora/core/cron.hpp"
#include "agora/core/error.hpp"

using agora::CronSchedule;
using namespace std::chrono;

namespace {

system_clock::time_point at(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return sys_days{year{y} / mo / d} + hours{h} + minutes{mi} + seconds{s};
}

}  // namespace

TEST(Cron, EveryMinuteFiresAtSecondZero) {
  auto c = CronSchedule::parse("* * * * *");
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 10, 0, 0)), at(2026, 1, 1, 10, 1, 0));
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 10, 0, 30)), at(2026, 1, 1, 10, 1, 0));
}

TEST(Cron, SecondsField) {
  auto c = CronSchedule::parse("*/15 * * * * *");
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 10, 0, 1)), at(2026, 1, 1, 10, 0, 15));
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 10, 0, 45)), at(2026, 1, 1, 10, 1, 0));
}

TEST(Cron, HourlyAtHalfPast) {
  auto c = CronSchedule::parse("30 * * * *");
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 10, 30, 0)), at(2026, 1, 1, 11, 30, 0));
}

TEST(Cron, StepFromStartValue) {
  auto c = CronSchedule::parse("0 0 0/4 * * *");
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 1, 0, 0)), at(2026, 1, 1, 4, 0, 0));
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 20, 0, 0)), at(2026, 1, 2, 0, 0, 0));
}

TEST(Cron, DayOfWeekSundayAsZeroOrSeven) {
  // 2026-01-04 is a Sunday.
  auto a = CronSchedule::parse("5 5 * * 0");
  auto b = CronSchedule::parse("5 5 * * 7");
  EXPECT_EQ(a.next_after(at(2026, 1, 1, 0, 0, 0)), at(2026, 1, 4, 5, 5, 0));
  EXPECT_EQ(b.next_after(at(2026, 1, 1, 0, 0, 0)), at(2026, 1, 4, 5, 5, 0));
}

TEST(Cron, BothDayFieldsMatchEither) {
  // The 10th, or any Monday (2026-01-05 is a Monday).
  auto c = CronSchedule::parse("0 0 10 * 1");
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 0, 0, 0)), at(2026, 1, 5, 0, 0, 0));
  EXPECT_EQ(c.next_after(at(2026, 1, 6, 0, 0, 0)), at(2026, 1, 10, 0, 0, 0));
}

TEST(Cron, ListsRangesAndMonths) {
  auto c = CronSchedule::parse("0 9-10,17 * 3 *");
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 0, 0, 0)), at(2026, 3, 1, 9, 0, 0));
  EXPECT_EQ(c.next_after(at(2026, 3, 1, 10, 0, 0)), at(2026, 3, 1, 17, 0, 0));
}

TEST(Cron, LeapDay) {
  auto c = CronSchedule::parse("0 0 29 2 *");
  EXPECT_EQ(c.next_after(at(2026, 1, 1, 0, 0, 0)), at(2028, 2, 29, 0, 0, 0));
}

TEST(Cron, ImpossibleDateHasNoNextRun) {
  auto c = CronSchedule::parse("0 0 30 2 *");
  EXPECT_FALSE(c.next_after(at(2026, 1, 1, 0, 0, 0)).has_value());
}

TEST(Cron, RejectsBadExpressionsNamingTheField) {
  auto message = [](const char* expr) {
    try {
      CronSchedule::parse(expr);
    } catch (const agora::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("* * *").find("5 fields"), std::string::npos);
  EXPECT_NE(message("60 * * * *").find("minute"), std::string::npos);
  EXPECT_NE(message("* 24 * * *").find("hour"), std::string::npos);
  EXPECT_NE(message("* * 0 * *").find("day-of-month"), std::string::npos);
  EXPECT_NE(message("* * * 13 *").find("month"), std::string::npos);
  EXPECT_NE(message("* * * * 8").find("day-of-week"), std::string::npos);
  EXPECT_NE(message("* * * * x").find("not a number"), std::string::npos);
  EXPECT_NE(message("5-1 * * * *").find("backwards"), std::string::npos);
  EXPECT_NE(message("*/0 * * * *").find("minute"), std::string::npos);
  EXPECT_NE(message("1,,2 * * * *").find("empty"), std::string::npos);
}
