#pragma once
// The in-process L1 of JSON fragments (docs/architecture.md), kept honest without any
// invalidation: a fragment is reused only when the inputs it was written from are
// byte-for-byte the inputs the request has just read from the item cache or PostgreSQL. It
// can never be staler than those items, on one node or many; an edit elsewhere simply makes
// the next read miss. Bounded in bytes: a fragment larger than a 256th of the budget is not
// kept, and when the budget is spent the memo starts over.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace agora::api {

class FragmentMemo {
 public:
  FragmentMemo(std::size_t max_bytes, std::atomic<std::uint64_t>& hits, std::atomic<std::uint64_t>& misses)
      : max_bytes_(max_bytes), hits_(hits), misses_(misses) {}

  /// The fragment for `key` written from `inputs`: the kept one when its inputs are these,
  /// else `write()`'s result, kept for next time.
  template <class Write>
  std::string get(std::int64_t key, std::string_view inputs, Write&& write) {
    if (auto kept = find(key, inputs); !kept.empty()) return kept;
    std::string fragment = write();
    keep(key, inputs, fragment);
    return fragment;
  }

  std::size_t size() const;
  std::size_t bytes() const;

 private:
  struct Entry {
    std::string inputs;
    std::string fragment;
  };
  /// The kept fragment, or "" (no fragment is empty JSON).
  std::string find(std::int64_t key, std::string_view inputs);
  void keep(std::int64_t key, std::string_view inputs, const std::string& fragment);

  const std::size_t max_bytes_;
  std::atomic<std::uint64_t>& hits_;
  std::atomic<std::uint64_t>& misses_;
  mutable std::mutex mutex_;
  std::unordered_map<std::int64_t, Entry> entries_;
  std::size_t bytes_ = 0;  // inputs and fragments kept
};

/// The memos the content routes share (built in App, one set per process).
struct Fragments {
  FragmentMemo& profiles;
  FragmentMemo& comments;
};

}  // namespace agora::api
