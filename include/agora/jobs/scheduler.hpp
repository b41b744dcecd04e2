#pragma once
// In-process cron scheduler. Every tick of a job runs under a PostgreSQL advisory lock and
// is claimed by a unique (job, tick) row in job_runs, so in a cluster it runs once
// (except jobs marked every_node, which flush state held by each node).
// Durations and failures are logged and recorded; a failing job never stops the scheduler.
// Schedules come from [jobs] in the config and are re-read on reload.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "agora/core/log.hpp"

#include <pqxx/connection>
namespace agora {
class ConfigHolder;
class Metrics;
}  // namespace agora
namespace agora::db {
class Pool;
class Statements;
}  // namespace agora::db

namespace agora::jobs {

struct Job {
  std::string name;
  std::string default_schedule;  // used when [jobs] has no key for the job
  std::function<void(pqxx::connection&)> run;
  /// Runs on every node at each tick, without the cluster-wide claim (for node-local state).
  bool every_node = false;
};

class Scheduler {
 public:
  Scheduler(db::Pool& pool, const ConfigHolder& config, Metrics& metrics, Logger log);
  ~Scheduler();

  static void register_statements(db::Statements& statements);

  /// Adds a job; call before start().
  void add(Job job);
  void start();
  void stop();
  /// Re-reads schedules from the config (after a reload).
  void reload();

  /// Runs one tick of a job now, as the scheduler would. Returns true if this node ran it
  /// (false when another node holds the lock or already ran the tick).
  bool run_tick(const std::string& name, std::chrono::system_clock::time_point tick);

  /// The schedule in force for a job ("" when the job is disabled by an empty value).
  std::string schedule_of(const std::string& name) const;

 private:
  void loop();
  /// Runs a job, logging and counting the outcome; returns the error ("" on success).
  std::string run_timed(const std::string& name, const Job& job, pqxx::connection& conn);

  db::Pool& pool_;
  const ConfigHolder& config_;
  Metrics& metrics_;
  Logger log_;
  std::map<std::string, Job> jobs_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool reloaded_ = false;
  std::thread thread_;
};

}  // namespace agora::jobs
