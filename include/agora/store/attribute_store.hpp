#pragma once
// Typed key/value attributes on items (content-microcosms.md §A). Profile attributes feed
// role criteria, so their changes matter to permissions. Every call is scoped by SiteId.
// Cache key: v2:attr:{site}:{itemType}:{itemId} -> every attribute of the item.

#include <optional>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

struct Attribute {
  std::string key;
  std::string type;  // "string", "date", "number" or "boolean"
  std::string text;  // string and date (YYYY-MM-DD) values
  double number = 0;
  bool boolean = false;
};

class AttributeStore {
 public:
  AttributeStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);

  /// Every attribute of the item, by key.
  std::vector<Attribute> of(SiteId site, ItemRef item);
  std::optional<Attribute> get(SiteId site, ItemRef item, const std::string& key);
  void set(SiteId site, ItemRef item, const Attribute& attribute);
  /// Several in one transaction.
  void set_many(SiteId site, ItemRef item, const std::vector<Attribute>& attributes);
  /// Removes every key or none: false (nothing removed) when one of them does not exist.
  bool remove_all(SiteId site, ItemRef item, const std::vector<std::string>& keys);
  /// True when the key existed.
  bool remove(SiteId site, ItemRef item, const std::string& key);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

/// Site membership (identity.md §10): the profile attribute `is_member` = true.
inline constexpr const char* member_attribute = "is_member";
bool is_site_member(AttributeStore& attributes, SiteId site, ProfileId profile);
void set_site_member(AttributeStore& attributes, SiteId site, ProfileId profile, bool member);

}  // namespace agora::store
