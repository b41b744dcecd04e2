#pragma once
// The IP audit log (identity.md §12): one row per data-changing action, for operators
// tracing abuse. Best effort by design: a failure is logged and never fails the action.

#include <string>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/core/log.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

enum class AuditAction : char { create = 'C', replace = 'R', update = 'U', remove = 'D' };

class AuditLog {
 public:
  AuditLog(db::Pool& pool, Logger log) : pool_(pool), log_(std::move(log)) {}
  static void register_statements(db::Statements& statements);

  /// Records the action; rows with no known IP are skipped.
  void record(SiteId site, ItemRef item, ProfileId by, AuditAction action,
              const std::string& ip) noexcept;

 private:
  db::Pool& pool_;
  Logger log_;
};

}  // namespace agora::store
