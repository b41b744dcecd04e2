#pragma once
// Sites: SQL (prepared), row <-> Site mapping, and the cache keys sites own:
//   v2:site:{id}     the Site (internal JSON)
//   v2:sub:{key}     subdomain key -> site id ("0" = no such live site, cached briefly)
//   v2:dom:{domain}  custom domain -> site id (same)

#include <optional>
#include <string_view>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/db/query.hpp"
#include "agora/store/site.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

class SiteStore {
 public:
  SiteStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}

  /// Adds this store's prepared statements; call once before the pool opens connections.
  static void register_statements(db::Statements& statements);

  /// A site by id, deleted or not.
  std::optional<Site> get(SiteId id);
  /// Sites by id in the order asked; ids that do not exist are skipped. One multi-get,
  /// then one SQL query for the misses.
  std::vector<Site> get_many(const std::vector<SiteId>& ids);

  /// The live (not deleted) site with this subdomain key.
  std::optional<SiteId> find_by_subdomain(std::string_view key);
  /// The live site with this custom domain.
  std::optional<SiteId> find_by_domain(std::string_view domain);

  struct Page {
    std::int64_t total = 0;
    std::vector<SiteId> ids;
  };
  /// Live sites except the root, oldest first.
  Page list_live(int limit, int offset);
  /// Live sites whose owner profile belongs to the user, oldest first.
  Page list_owned_by(UserId user, int limit, int offset);

  /// Creates a site after validating it (Error{bad_request} naming the field, or
  /// Error{conflict} when the subdomain or domain is taken), in one transaction with its
  /// root microcosm, default roles and, when `owner` is given, the owner's profile.
  SiteId create(const NewSite& site, UserId owner = {}, const SiteEdit& appearance = {});

  /// Validates and applies the edit (Error{bad_request} naming the field); flushes the site.
  void update(const Site& site, const SiteEdit& edit);

  /// Records the site's owner (and creator) profile.
  void set_owner(SiteId site, ProfileId owner);

  /// Drops every cached key of the site.
  void flush(const Site& site);

 private:
  std::optional<SiteId> find_by(std::string_view kind, std::string_view name, const db::Query& query);

  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
