#include "agora/api/fragment_memo.hpp"

namespace agora::api {

std::string FragmentMemo::find(std::int64_t key, std::string_view inputs) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end() && it->second.inputs == inputs) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second.fragment;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  return {};
}

void FragmentMemo::keep(std::int64_t key, std::string_view inputs, const std::string& fragment) {
  const std::size_t cost = inputs.size() + fragment.size() + 64;  // 64: the entry's own bookkeeping
  if (cost > max_bytes_ / 256) return;                             // a huge comment: written each time
  std::unordered_map<std::int64_t, Entry> dropped;                 // freed after the lock is released
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      bytes_ -= it->second.inputs.size() + it->second.fragment.size() + 64;
      entries_.erase(it);
    }
    if (bytes_ + cost > max_bytes_) {
      dropped.swap(entries_);
      bytes_ = 0;
    }
    auto& e = entries_[key];
    e.inputs.assign(inputs);
    e.fragment = fragment;
    bytes_ += cost;
  }
}

std::size_t FragmentMemo::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

std::size_t FragmentMemo::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace agora::api
