#pragma once
// The read path every item store shares (architecture: a page is one multi-get, then one
// query for what is missing): items by id in the order asked, cached entries of another
// site treated as absent, undecodable entries dropped and reloaded, misses written back.

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "agora/cache/cache.hpp"
#include "agora/core/ids.hpp"

namespace agora::store {

/// How one item kind is keyed and serialised in the cache.
template <class T, class Id>
struct ItemCodec {
  std::string (*key)(Id id);
  std::string (*encode)(const T& item);
  T (*decode)(const std::string& bytes);
  Id (*id_of)(const T& item);
  SiteId (*site_of)(const T& item);
};

/// `load(missing ids)` reads the misses from the database in one round trip.
template <class T, class Id, class Load>
std::vector<T> cached_items(cache::Cache& cache, std::chrono::seconds ttl, SiteId site, const std::vector<Id>& ids,
                            const ItemCodec<T, Id>& codec, Load&& load) {
  // Each id once (a page of comments often names one author many times).
  std::vector<Id> unique(ids);
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<std::string> keys;
  keys.reserve(unique.size());
  for (const auto& id : unique) keys.push_back(codec.key(id));
  auto hits = cache.get_many(keys);
  std::map<Id, T> found;
  std::vector<Id> missing;
  for (std::size_t i = 0; i < unique.size(); ++i) {
    if (auto it = hits.find(keys[i]); it != hits.end()) {
      try {
        auto item = codec.decode(it->second);
        if (codec.site_of(item) == site) found.emplace(codec.id_of(item), std::move(item));
        continue;  // another site's id does not exist here
      } catch (const std::exception&) {
        cache.remove(keys[i]);  // an entry this binary cannot read: reload it
      }
    }
    missing.push_back(unique[i]);
  }
  if (!missing.empty()) {
    for (auto& item : load(missing)) {
      cache.set(codec.key(codec.id_of(item)), codec.encode(item), ttl);
      auto id = codec.id_of(item);
      found.emplace(id, std::move(item));
    }
  }
  std::vector<T> out;
  out.reserve(ids.size());
  for (const auto& id : ids) {
    if (auto it = found.find(id); it != found.end()) out.push_back(it->second);
  }
  return out;
}

}  // namespace agora::store
