#include "agora/app/app.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>
#include <thread>

#include "agora/api/access_routes.hpp"
#include "agora/api/authenticator.hpp"
#include "agora/api/content_routes.hpp"
#include "agora/api/dispatcher.hpp"
#include "agora/api/identity_routes.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/service_routes.hpp"
#include "agora/api/services.hpp"
#include "agora/auth/jwks_cache.hpp"
#include "agora/auth/login_service.hpp"
#include "agora/auth/passwords.hpp"
#include "agora/auth/token_service.hpp"
#include "agora/cache/make_cache.hpp"
#include "agora/core/error.hpp"
#include "agora/core/metrics.hpp"
#include "agora/core/rate_limiter.hpp"
#include "agora/db/embedded_migrations.hpp"
#include "agora/db/migrations.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/http/server.hpp"
#include "agora/jobs/builtin_jobs.hpp"
#include "agora/jobs/scheduler.hpp"
#include "agora/jobs/update_fanout.hpp"
#include "agora/mail/sender.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/attribute_store.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/login_code_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/outbox_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/store/role_store.hpp"
#include "agora/store/all_statements.hpp"
#include "agora/store/ban_store.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/link_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site_store.hpp"
#include "agora/store/token_store.hpp"
#include "agora/store/user_store.hpp"
#include "agora/store/view_counter.hpp"
#include "agora/store/update_store.hpp"
#include "agora/store/watcher_store.hpp"

namespace agora {
namespace {

db::Statements all_statements() {
  db::Statements st;
  store::register_store_statements(st);
  jobs::Scheduler::register_statements(st);
  jobs::register_builtin_statements(st);
  return st;
}

http::ServerOptions server_options(const Config& c) {
  http::ServerOptions o;
  o.listen = c.http.listen;
  o.admin_listen = c.http.admin_listen;
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.io_threads = c.http.threads > 0 ? c.http.threads : cores;
  // Handlers block on the database: one worker per pooled connection, plus a few for
  // requests that never touch it (health, cached reads).
  o.worker_threads = c.database.pool_size + 4;
  o.max_body_bytes = c.http.max_body_bytes;
  o.max_header_bytes = c.http.max_header_bytes;
  o.header_timeout = std::chrono::milliseconds(c.http.header_timeout_ms);
  o.request_timeout = std::chrono::milliseconds(c.http.request_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(c.http.idle_timeout_ms);
  o.trusted_proxies = c.http.trusted_proxies;
  return o;
}

}  // namespace

// Members are declared, and so built, in dependency order: each takes only what is above it.
struct App::Parts {
  Parts(Config config, Logger log_in, const RouteHook& hook)
      : holder(config),
        log(std::move(log_in)),
        statements(all_statements()),
        pool(config.database, statements, metrics, log),
        cache(cache::make_cache(config.cache, metrics, log)),
        sites(pool, *cache, holder),
        users(pool),
        profiles(pool, *cache, holder),
        token_rows(pool, *cache, holder),
        bans(pool, *cache, holder),
        microcosms(pool, *cache, holder),
        roles(pool, *cache, holder),
        attributes(pool, *cache, holder),
        audit(pool, log),
        outbox(pool),
        login_codes(pool),
        reader_state(pool),
        conversations(pool, *cache, holder, microcosms, profiles),
        events(pool, *cache, holder, microcosms, profiles),
        polls(pool, *cache, holder, microcosms),
        huddles(pool, *cache, holder),
        comments(pool, *cache, holder, conversations, events, polls, huddles, microcosms, profiles),
        links(pool),
        watchers(pool),
        updates(pool),
        views(conversations, events, polls),
        passwords(static_cast<unsigned long long>(config.auth.password_opslimit),
                  static_cast<std::size_t>(config.auth.password_memlimit_kib) * 1024),
        tokens(token_rows),
        logins(users, profiles, tokens, audit, holder, log),
        engine(microcosms, roles, profiles, users, attributes),
        fanout({updates, sites, comments, conversations, events, polls, huddles, microcosms, profiles, bans}, engine, log),
        mail_sender(outbox, holder, metrics, log),
        authenticator(tokens, profiles, bans),
        dispatcher(routes, sites, authenticator, holder, log),
        server(server_options(config), [this](http::Exchange& ex) { dispatcher(ex); }, metrics, holder, log,
               [this](http::Exchange& ex) { return dispatcher.never_blocks(ex); }),
        scheduler(pool, holder, metrics, log) {
    const api::Services services{sites,       users,       profiles,      bans,         microcosms,   roles,
                                 attributes,  audit,       login_codes,   reader_state, conversations, comments,
                                 links,       views,       events,      tokens,        logins,       passwords,    jwks,
                                 engine,      mail_sender, login_limiter, {profile_fragments, comment_fragments},
                                 pool,        *cache,      metrics,       holder,
                                 polls,       huddles,     watchers,      updates};
    api::add_identity_routes(routes, services);
    api::add_access_routes(routes, services);
    api::add_content_routes(routes, services);
    api::add_service_routes(routes, services);
    if (hook) hook(routes, pool);
    for (auto& job : jobs::builtin_jobs(holder)) scheduler.add(std::move(job));
    scheduler.add({"flush_view_counts", "0 * * * * *", [this](pqxx::connection& c) { views.flush(c); }, true});
    // Every node, every second: the queue is shared through SKIP LOCKED (platform.md §3.6).
    scheduler.add({"fan_out_updates", "* * * * * *", [this](pqxx::connection& c) { fanout.run(c); }, true});
  }

  ConfigHolder holder;
  Logger log;
  Metrics metrics;
  db::Statements statements;
  db::Pool pool;
  std::unique_ptr<cache::Cache> cache;
  store::SiteStore sites;
  store::UserStore users;
  store::ProfileStore profiles;
  store::TokenStore token_rows;
  store::BanStore bans;
  store::MicrocosmStore microcosms;
  store::RoleStore roles;
  store::AttributeStore attributes;
  store::AuditLog audit;
  store::OutboxStore outbox;
  store::LoginCodeStore login_codes;
  store::ReaderStateStore reader_state;
  store::ConversationStore conversations;
  store::EventStore events;
  store::PollStore polls;
  store::HuddleStore huddles;
  store::CommentStore comments;
  store::LinkStore links;
  store::WatcherStore watchers;
  store::UpdateStore updates;
  store::ViewCounter views;
  auth::PasswordHasher passwords;
  auth::TokenService tokens;
  auth::LoginService logins;
  auth::JwksCache jwks;
  perm::Engine engine;
  jobs::UpdateFanout fanout;
  mail::Sender mail_sender;
  RateLimiter login_limiter;
  // The L1 of written JSON (api/fragment_memo.hpp), bounded in bytes: 4 MB of profile
  // summaries (~6,000), 32 MB of comment summaries (~10,000 of a few KB; none over 128 KB).
  api::FragmentMemo profile_fragments{4 << 20, metrics.fragment_hits, metrics.fragment_misses};
  api::FragmentMemo comment_fragments{32 << 20, metrics.fragment_hits, metrics.fragment_misses};
  api::RouteTable routes;  // owns the handlers
  api::Authenticator authenticator;
  api::Dispatcher dispatcher;
  http::Server server;
  jobs::Scheduler scheduler;
};

App::App(Config config, Logger log, RouteHook extra_routes)
    : parts_(std::make_unique<Parts>(std::move(config), std::move(log), extra_routes)) {}

App::~App() {
  if (parts_) stop();
}

void App::start() {
  {
    db::Migrator migrator(db::embedded_migrations(), parts_->log);
    auto lease = parts_->pool.acquire();
    const int have = migrator.current_version(lease.conn());
    const int want = migrator.latest_version();
    if (have < want) {
      throw Error(ErrorKind::unavailable, "the database schema is at version " + std::to_string(have) +
                                              " but this agora needs " + std::to_string(want) +
                                              "; run `agora migrate --config FILE` first");
    }
  }
  parts_->server.start();
  parts_->scheduler.start();
  parts_->mail_sender.start();
  parts_->log->info("agora {} listening on {} (port {})", AGORA_VERSION, parts_->holder.get()->http.listen,
                    parts_->server.port());
}

void App::stop() {
  const auto drain = std::chrono::milliseconds(parts_->holder.get()->http.drain_timeout_ms);
  parts_->scheduler.stop();
  parts_->server.stop(drain);
  parts_->mail_sender.stop();
  try {
    auto lease = parts_->pool.acquire();
    parts_->views.flush(lease.conn());
  } catch (const std::exception& e) {
    parts_->log->warn("view counts of the last minute not saved: {}", e.what());
  }
}

unsigned short App::port() const { return parts_->server.port(); }
unsigned short App::admin_port() const { return parts_->server.admin_port(); }
std::shared_ptr<const Config> App::config() const { return parts_->holder.get(); }

bool App::run_job_now(const std::string& name) {
  return parts_->scheduler.run_tick(name, std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

void App::reload(Config next) {
  auto current = parts_->holder.get();
  for (auto& key : restart_required_changes(*current, next)) {
    parts_->log->warn("config reload: {} changed; it takes effect after a restart", key);
  }
  // Restart-only keys keep their running values so the holder tells the truth.
  next.http.listen = current->http.listen;
  next.http.admin_listen = current->http.admin_listen;
  next.database = current->database;
  next.cache.backend = current->cache.backend;
  next.cache.servers = current->cache.servers;
  next.cache.key_namespace = current->cache.key_namespace;
  next.sites.domain = current->sites.domain;
  apply_log_level(parts_->log, next.log.level);
  parts_->holder.set(std::move(next));
  parts_->scheduler.reload();
  parts_->log->info("config reloaded from {}", parts_->holder.get()->source);
}

}  // namespace agora
