#include "agora/jobs/builtin_jobs.hpp"

#include <pqxx/pqxx>

#include "agora/core/config.hpp"
#include "agora/db/statements.hpp"

namespace agora::jobs {
namespace {
constexpr const char* prune_runs = "job_prune_runs";
constexpr const char* prune_tokens = "job_prune_tokens";
constexpr const char* prune_ips = "job_prune_ips";
constexpr const char* prune_codes = "job_prune_codes";
constexpr const char* prune_outbox = "job_prune_outbox";
}

void register_builtin_statements(db::Statements& st) {
  st.add(prune_runs,
         "DELETE FROM job_runs WHERE finished < (now() AT TIME ZONE 'UTC') - make_interval(days => $1)");
  st.add(prune_tokens, "DELETE FROM access_tokens WHERE expires <= (now() AT TIME ZONE 'UTC')");
  st.add(prune_ips, "DELETE FROM ips WHERE seen < (now() AT TIME ZONE 'UTC') - make_interval(days => $1)");
  st.add(prune_codes, "DELETE FROM login_codes WHERE expires <= (now() AT TIME ZONE 'UTC')");
  st.add(prune_outbox,
         "DELETE FROM outbox WHERE (sent IS NOT NULL OR failed) AND created < (now() AT TIME ZONE 'UTC') - interval '30 days'");
}

std::vector<Job> builtin_jobs(const ConfigHolder& config) {
  return {
      {"prune_job_runs", "17 3 * * *",
       [](pqxx::connection& c) {
         constexpr int keep_days = 30;
         pqxx::work tx(c);
         tx.exec_prepared(prune_runs, keep_days);
         tx.commit();
       }},
      {"prune_expired_tokens", "23 * * * *",
       [](pqxx::connection& c) {
         pqxx::work tx(c);
         tx.exec_prepared(prune_tokens);
         tx.commit();
       }},
      {"prune_audit_log", "41 4 * * *",
       [&config](pqxx::connection& c) {
         pqxx::work tx(c);
         tx.exec_prepared(prune_ips, config.get()->auth.audit_retention_days);
         tx.commit();
       }},
      {"prune_login_codes", "*/10 * * * *",
       [](pqxx::connection& c) {
         pqxx::work tx(c);
         tx.exec_prepared(prune_codes);
         tx.exec_prepared(prune_outbox);
         tx.commit();
       }},
  };
}

}  // namespace agora::jobs
