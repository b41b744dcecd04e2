#pragma once
// Microcosm JSON (content-microcosms.md §M.3, §M.5, §M.6): detail, summary and tree link.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agora/store/microcosm_store.hpp"

namespace agora::store {
struct Profile;
}

namespace agora::api {

/// Names of item type ids (`[2,6,9]` -> `["microcosm","conversation","event"]`).
nlohmann::json item_type_names(const std::vector<int>& ids);

/// AncestorLinks of every microcosm of `path` but the root, top-down (an item's breadcrumb
/// when `path` ends with its microcosm).
nlohmann::json path_breadcrumb(const std::vector<store::Microcosm>& path);

/// AncestorLinks between the root (excluded) and `m` (excluded), top-down. `ancestors` are
/// the microcosms of m.path in path order.
nlohmann::json breadcrumb(const store::Microcosm& m, const std::vector<store::Microcosm>& ancestors);

/// Fields shared by detail and summary (no `items`, no `meta`).
nlohmann::json microcosm_fields(const store::Microcosm& m, const std::vector<store::Microcosm>& ancestors);

/// `meta.flags` of a microcosm; `unread` is added by the caller where the contract wants it.
nlohmann::json microcosm_flags(const store::Microcosm& m);

/// Summary: fields, `children`, totals, summary meta (created, createdBy, flags, links).
nlohmann::json microcosm_summary(const store::Microcosm& m, const std::vector<store::Microcosm>& ancestors,
                                 const std::vector<store::ChildRef>& children, const store::SubtreeTotals& totals,
                                 const std::optional<store::Profile>& creator);

/// A tree entry (M.6).
nlohmann::json tree_link(const store::TreeNode& node);

std::string microcosm_href(const store::Microcosm& m);

}  // namespace agora::api
