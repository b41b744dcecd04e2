#pragma once
// Commits that need not wait for the disk. For side records whose loss in a crash costs
// nothing that matters: read markers set by viewing a page, link-follow counts, the IP audit
// trail, view counts, and short links (a link row is written before the comment that uses it,
// and PostgreSQL flushes the WAL in order, so the comment's own durable commit makes the link
// durable too). Such a commit returns without the fsync; a crash loses at most the last
// wal_writer_delay (200 ms by default) of them. Every write of content stays fully durable.

#include <pqxx/transaction_base>

namespace agora::db {
class Statements;
}

namespace agora::store {

/// A statement run on its own (pqxx::nontransaction: one round trip, no BEGIN or COMMIT)
/// relaxes itself with a FROM item written out in its SQL:
///   FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed_commit
/// Its one row turns synchronous_commit off for that statement's transaction only (set_config's
/// is_local), which PostgreSQL reads when it commits, before the setting is reset, so the pooled
/// connection keeps its own setting.
void register_relaxed_commit_statement(db::Statements& statements);
/// For a transaction of several statements: call inside it, before commit().
void relax_commit(pqxx::transaction_base& tx);

}  // namespace agora::store
