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
  std::lock_guard lock(mutex_);
  if (entries_.size() >= max_entries_ && !entries_.count(key)) entries_.clear();
  auto& e = entries_[key];
  e.inputs.assign(inputs);
  e.fragment = fragment;
}

std::size_t FragmentMemo::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace agora::api
