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

// Huddles nobody participates in any more (content-events-polls-huddles.md §H.1); their
// participant rows are gone already. TODO(comments): their comments and revisions with them.
constexpr db::Query kPurgeHuddles{"job_purge_abandoned_huddles", R"sql(
  DELETE FROM huddles h WHERE NOT EXISTS (SELECT 1 FROM huddle_profiles p WHERE p.huddle_id = h.huddle_id))sql"};

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
