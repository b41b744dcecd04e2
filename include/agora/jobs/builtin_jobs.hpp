#pragma once
// The jobs Agora runs, each with its default schedule.

#include <vector>

#include "agora/jobs/scheduler.hpp"

namespace agora::jobs {

/// prune_job_runs: deletes job_runs rows finished more than 30 days ago.
/// prune_expired_tokens: deletes access tokens past their expiry.
/// prune_audit_log: deletes IP audit rows older than [auth].audit_retention_days.
/// prune_login_codes: deletes expired sign-in codes.
std::vector<Job> builtin_jobs(const ConfigHolder& config);

void register_builtin_statements(db::Statements& statements);

}  // namespace agora::jobs
