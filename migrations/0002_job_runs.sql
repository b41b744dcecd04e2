-- One row per scheduled job tick: the row is the claim (unique per job and tick, so a
-- tick runs once across nodes) and the record of how it went. Pruned by `prune_job_runs`.
CREATE TABLE job_runs (
  job_run_id  bigserial PRIMARY KEY,
  job         varchar(100) NOT NULL,
  tick        timestamp without time zone NOT NULL,
  started     timestamp without time zone NOT NULL DEFAULT (clock_timestamp() AT TIME ZONE 'UTC'),
  finished    timestamp without time zone,
  ok          boolean,
  error       text NOT NULL DEFAULT '',
  UNIQUE (job, tick)
);
CREATE INDEX job_runs_finished_idx ON job_runs (finished);
