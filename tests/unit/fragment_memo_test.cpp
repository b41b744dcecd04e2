#include "agora/api/fragment_memo.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using agora::api::FragmentMemo;

namespace {
struct Counters {
  std::atomic<std::uint64_t> hits{0}, misses{0};
};
}  // namespace

TEST(FragmentMemo, ReusesAFragmentOnlyWhileItsInputsAreUnchanged) {
  Counters n;
  FragmentMemo memo(1 << 20, n.hits, n.misses);
  int writes = 0;
  auto write = [&](std::string text) {
    return [&writes, text] {
      ++writes;
      return text;
    };
  };
  EXPECT_EQ(memo.get(7, "name=ann", write(R"({"profileName":"ann"})")), R"({"profileName":"ann"})");
  EXPECT_EQ(memo.get(7, "name=ann", write("never written")), R"({"profileName":"ann"})");
  EXPECT_EQ(writes, 1);
  // The profile was renamed elsewhere: the next read sees new inputs and writes again.
  EXPECT_EQ(memo.get(7, "name=anna", write(R"({"profileName":"anna"})")), R"({"profileName":"anna"})");
  EXPECT_EQ(memo.get(7, "name=anna", write("never written")), R"({"profileName":"anna"})");
  // Inputs that differ only past an embedded NUL are still different inputs.
  EXPECT_EQ(memo.get(7, std::string_view("name=anna\0x", 11), write("[1]")), "[1]");
  EXPECT_EQ(writes, 3);
  EXPECT_EQ(n.hits, 2u);
  EXPECT_EQ(n.misses, 3u);
  // Keys are separate.
  EXPECT_EQ(memo.get(8, "name=anna", write("[2]")), "[2]");
}

TEST(FragmentMemo, StaysWithinItsByteBudget) {
  Counters n;
  FragmentMemo memo(64 * 1024, n.hits, n.misses);
  const std::string body(50, 'x');
  for (std::int64_t k = 0; k < 5000; ++k) memo.get(k, body, [&] { return "\"" + body + "\""; });
  EXPECT_LE(memo.bytes(), 64u * 1024);
  EXPECT_GT(memo.size(), 0u);
  // Rewriting one key replaces its bytes instead of adding to them.
  const auto before = memo.bytes();
  memo.get(4999, "other inputs", [] { return std::string("{}"); });
  EXPECT_LT(memo.bytes(), before);
  // A fragment over a 256th of the budget is written every time, never kept.
  int writes = 0;
  const std::string huge(1000, 'h');
  for (int i = 0; i < 3; ++i) memo.get(-1, huge, [&] { ++writes; return std::string("[1]"); });
  EXPECT_EQ(writes, 3);
}

TEST(FragmentMemo, ManyThreadsGetConsistentFragments) {
  Counters n;
  FragmentMemo memo(64 * 1024, n.hits, n.misses);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::int64_t key = (i + t) % 80;
        const std::string inputs = "v" + std::to_string((i / 100) % 3) + ":" + std::to_string(key);
        const auto got = memo.get(key, inputs, [&] { return "[" + inputs + "]"; });
        if (got != "[" + inputs + "]") ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(n.hits + n.misses, 16000u);
}
