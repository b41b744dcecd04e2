#include "agora/jobs/scheduler.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "agora/core/config.hpp"
#include "agora/core/cron.hpp"
#include "agora/core/metrics.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::jobs {
namespace {

constexpr db::Query kClaimTick{"job_claim_tick", R"sql(
  INSERT INTO job_runs (job, tick) VALUES ($1, to_timestamp($2) AT TIME ZONE 'UTC')
  ON CONFLICT (job, tick) DO NOTHING RETURNING job_run_id)sql"};

constexpr db::Query kFinishTick{"job_finish_tick", R"sql(
  UPDATE job_runs SET finished = clock_timestamp() AT TIME ZONE 'UTC', ok = $2, error = $3
  WHERE job_run_id = $1)sql"};

constexpr db::Query kTryLock{"job_try_lock", R"sql(
  SELECT pg_try_advisory_lock($1))sql"};

constexpr db::Query kUnlock{"job_unlock", R"sql(
  SELECT pg_advisory_unlock($1))sql"};

/// Stable 63-bit key for a job name (FNV-1a), the advisory lock id.
std::int64_t lock_key(const std::string& name) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : name) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<std::int64_t>(h & 0x7fffffffffffffffull);
}

std::string sql_timestamp(std::chrono::system_clock::time_point t) {
  auto secs = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return std::to_string(secs);
}

}  // namespace

Scheduler::Scheduler(db::Pool& pool, const ConfigHolder& config, Metrics& metrics, Logger log)
    : pool_(pool), config_(config), metrics_(metrics), log_(std::move(log)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::register_statements(db::Statements& st) { st.add({kClaimTick, kFinishTick, kTryLock, kUnlock}); }

void Scheduler::add(Job job) {
  std::lock_guard lock(mutex_);
  auto name = job.name;
  jobs_.emplace(std::move(name), std::move(job));
}

std::string Scheduler::schedule_of(const std::string& name) const {
  auto config = config_.get();
  if (auto it = config->jobs.schedules.find(name); it != config->jobs.schedules.end()) return it->second;
  auto job = jobs_.find(name);
  return job == jobs_.end() ? "" : job->second.default_schedule;
}

void Scheduler::start() {
  for (auto& [name, expr] : config_.get()->jobs.schedules) {
    if (!jobs_.count(name)) log_->warn("[jobs].{} names no job; known jobs are listed in config/agora.toml", name);
  }
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::reload() {
  {
    std::lock_guard lock(mutex_);
    reloaded_ = true;
  }
  wake_.notify_all();
}

std::string Scheduler::run_timed(const std::string& name, const Job& job, pqxx::connection& conn) {
  const auto started = std::chrono::steady_clock::now();
  std::string error;
  try {
    job.run(conn);
  } catch (const std::exception& e) {
    error = e.what();
    if (error.empty()) error = "failed";
  }
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  ++metrics_.jobs_run;
  if (error.empty()) {
    // Node-local jobs run every minute on every node: not worth an info line each time.
    log_->log(job.every_node ? spdlog::level::debug : spdlog::level::info, "job {} finished in {:.1f} ms", name, ms);
  } else {
    ++metrics_.jobs_failed;
    log_->error("job {} failed after {:.1f} ms: {}", name, ms, error);
  }
  return error;
}

bool Scheduler::run_tick(const std::string& name, std::chrono::system_clock::time_point tick) {
  auto it = jobs_.find(name);
  if (it == jobs_.end()) return false;
  auto lease = pool_.acquire();
  auto& conn = lease.conn();
  if (it->second.every_node) {
    run_timed(name, it->second, conn);
    return true;
  }
  const auto key = lock_key(name);
  if (!db::value<bool>(db::read(conn, kTryLock, key)).value_or(false)) return false;
  struct Unlock {
    pqxx::connection& c;
    std::int64_t key;
    ~Unlock() {
      try {
        db::read(c, kUnlock, key);
      } catch (const std::exception&) {
        // The session is gone, and its advisory lock with it.
      }
    }
  } unlock_guard{conn, key};

  const auto run_id = db::value<std::int64_t>(db::write(conn, kClaimTick, name, sql_timestamp(tick)));
  if (!run_id) return false;  // another node already ran this tick

  const auto error = run_timed(name, it->second, conn);
  try {
    db::write(conn, kFinishTick, *run_id, error.empty(), error);
  } catch (const std::exception& e) {
    log_->warn("job {}: could not record the run: {}", name, e.what());
  }
  return true;
}

void Scheduler::loop() {
  using clock = std::chrono::system_clock;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    reloaded_ = false;
    // Next due time of each job under the schedules now in force.
    std::optional<clock::time_point> earliest;
    std::vector<std::string> due;
    const auto now = clock::now();
    for (auto& [name, job] : jobs_) {
      auto expr = schedule_of(name);
      if (expr.empty()) continue;
      std::optional<clock::time_point> next;
      try {
        next = CronSchedule::parse(expr).next_after(now);
      } catch (const std::exception& e) {
        log_->error("job {}: {}", name, e.what());
      }
      if (!next) continue;
      if (!earliest || *next < *earliest) {
        earliest = next;
        due.assign({name});
      } else if (*next == *earliest) {
        due.push_back(name);
      }
    }
    if (!earliest) {
      wake_.wait(lock, [&] { return stopping_ || reloaded_; });
      continue;
    }
    if (wake_.wait_until(lock, *earliest, [&] { return stopping_ || reloaded_; })) continue;
    lock.unlock();
    for (auto& name : due) {
      try {
        run_tick(name, *earliest);
      } catch (const std::exception& e) {
        ++metrics_.jobs_failed;
        log_->error("job {}: could not start: {}", name, e.what());
      }
    }
    lock.lock();
  }
}

}  // namespace agora::jobs
