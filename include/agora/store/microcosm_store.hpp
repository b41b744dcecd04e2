#pragma once
// Microcosms: the forum tree of a site, one root each (content-microcosms.md §M.1).
// Every call is scoped by SiteId. Cache key: v1:micro:{id} -> the Microcosm.

#include <optional>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/store/microcosm.hpp"

#include "agora/store/store_fwd.hpp"

namespace pqxx {
class transaction_base;
}

namespace agora::store {

struct NewMicrocosm {
  MicrocosmId parent_id;
  std::string title;
  std::string description;
  std::vector<int> item_types = {2, 6, 9};
};

class MicrocosmStore {
 public:
  MicrocosmStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);

  /// The microcosm if it exists on this site (deleted ones included: callers decide).
  std::optional<Microcosm> get(SiteId site, MicrocosmId id);
  /// The site's root microcosm.
  std::optional<MicrocosmId> root_of(SiteId site);

  /// Creates a child of an existing microcosm of the site; Error{not_found} when the parent
  /// is not there.
  MicrocosmId create(SiteId site, const NewMicrocosm& fields, ProfileId by);

  /// Inserts the root microcosm "Forums" inside the site-creation transaction.
  static MicrocosmId insert_root(pqxx::transaction_base& tx, SiteId site, const std::string& description,
                                 ProfileId owner);

  void flush(MicrocosmId id);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
