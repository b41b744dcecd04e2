#include "agora/jobs/builtin_jobs.hpp"

#include <pqxx/pqxx>

#include "agora/core/config.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::jobs {
namespace {

constexpr db::Query kPruneRuns{"job_prune_runs", R"sql(
  DELETE FROM job_runs WHERE finished < (now() AT TIME ZONE 'UTC') - make_interval(days => $1))sql"};

constexpr db::Query kPruneTokens{"job_prune_tokens", R"sql(
  DELETE FROM access_tokens WHERE expires <= (now() AT TIME ZONE 'UTC'))sql"};

constexpr db::Query kPruneIps{"job_prune_ips", R"sql(
  DELETE FROM ips WHERE seen < (now() AT TIME ZONE 'UTC') - make_interval(days => $1))sql"};

constexpr db::Query kPruneCodes{"job_prune_codes", R"sql(
  DELETE FROM login_codes WHERE expires <= (now() AT TIME ZONE 'UTC'))sql"};

constexpr db::Query kPruneOutbox{"job_prune_outbox", R"sql(
  DELETE FROM outbox
  WHERE (sent IS NOT NULL OR failed) AND created < (now() AT TIME ZONE 'UTC') - interval '30 days')sql"};

// Huddles nobody participates in any more (content-events-polls-huddles.md §H.1), with their
// comments and everything hanging on those (revisions and their links, mentions, attributes)
// and the read markers on them; their participant rows are gone already. One statement: the
// foreign keys are checked once all of it is deleted.
constexpr db::Query kPurgeHuddles{"job_purge_abandoned_huddles", R"sql(
  WITH gone AS (DELETE FROM huddles h WHERE NOT EXISTS (SELECT 1 FROM huddle_profiles p WHERE p.huddle_id = h.huddle_id)
                RETURNING huddle_id),
  dead AS (SELECT comment_id FROM comments WHERE item_type_id = 5 AND item_id IN (SELECT huddle_id FROM gone)),
  old_revisions AS (SELECT revision_id FROM revisions WHERE comment_id IN (SELECT comment_id FROM dead)),
  revision_links_gone AS (DELETE FROM revision_links WHERE revision_id IN (SELECT revision_id FROM old_revisions)),
  revisions_gone AS (DELETE FROM revisions WHERE revision_id IN (SELECT revision_id FROM old_revisions)),
  mentions_gone AS (DELETE FROM mentions WHERE comment_id IN (SELECT comment_id FROM dead)),
  attributes_gone AS (DELETE FROM attributes WHERE item_type_id = 4 AND item_id IN (SELECT comment_id FROM dead)),
  markers_gone AS (DELETE FROM read_markers WHERE item_type_id = 5 AND item_id IN (SELECT huddle_id FROM gone)),
  comments_gone AS (DELETE FROM comments WHERE comment_id IN (SELECT comment_id FROM dead))
  SELECT COUNT(*) AS purged FROM gone)sql"};

}  // namespace

void register_builtin_statements(db::Statements& st) {
  st.add({kPruneRuns, kPruneTokens, kPruneIps, kPruneCodes, kPruneOutbox, kPurgeHuddles});
}

std::vector<Job> builtin_jobs(const ConfigHolder& config) {
  return {
      {"prune_job_runs", "17 3 * * *",
       [](pqxx::connection& c) {
         constexpr int keep_days = 30;
         db::write(c, kPruneRuns, keep_days);
       }},
      {"prune_expired_tokens", "23 * * * *", [](pqxx::connection& c) { db::write(c, kPruneTokens); }},
      {"prune_audit_log", "41 4 * * *",
       [&config](pqxx::connection& c) { db::write(c, kPruneIps, config.get()->auth.audit_retention_days); }},
      {"prune_login_codes", "*/10 * * * *",
       [](pqxx::connection& c) {
         pqxx::work tx(c);
         db::exec(tx, kPruneCodes);
         db::exec(tx, kPruneOutbox);
         tx.commit();
       }},
      {"purge_abandoned_huddles", "29 3 * * *", [](pqxx::connection& c) { db::write(c, kPurgeHuddles); }},
  };
}

}  // namespace agora::jobs
