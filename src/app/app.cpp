#include "agora/app/app.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>
#include <thread>

#include "agora/api/attributes_api.hpp"
#include "agora/api/auth_api.hpp"
#include "agora/api/authenticator.hpp"
#include "agora/api/discussion_api.hpp"
#include "agora/api/dispatcher.hpp"
#include "agora/api/index_api.hpp"
#include "agora/api/microcosms_api.hpp"
#include "agora/api/oidc_api.hpp"
#include "agora/api/ops_api.hpp"
#include "agora/api/permission_api.hpp"
#include "agora/api/profiles_api.hpp"
#include "agora/api/reader_api.hpp"
#include "agora/api/roles_api.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/sites_api.hpp"
#include "agora/api/users_api.hpp"
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
#include "agora/store/link_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site_store.hpp"
#include "agora/store/token_store.hpp"
#include "agora/store/user_store.hpp"
#include "agora/store/view_counter.hpp"

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
        tokens(token_rows),
        bans(pool, *cache, holder),
        microcosms(pool, *cache, holder),
        roles(pool, *cache, holder),
        attributes(pool, *cache, holder),
        audit(pool, log),
        engine(microcosms, roles, profiles, users, attributes),
        outbox(pool),
        login_codes(pool),
        reader_state(pool),
        conversations(pool, *cache, holder, microcosms),
        comments(pool, *cache, holder, conversations, microcosms, profiles),
        links(pool),
        views(conversations),
        mail_sender(outbox, holder, metrics, log),
        logins(users, profiles, tokens, audit, holder, log),
        passwords(static_cast<unsigned long long>(config.auth.password_opslimit),
                  static_cast<std::size_t>(config.auth.password_memlimit_kib) * 1024),
        authenticator(tokens, profiles, bans),
        sites_api(sites, profiles, audit, holder),
        auth_api(users, tokens, logins, passwords, login_codes, mail_sender, login_limiter, holder),
        profiles_api(profiles, users, bans, attributes, audit, reader_state, comments, holder),
        users_api(users, profiles, attributes, audit, holder),
        roles_api(microcosms, roles, profiles, engine, audit, holder),
        oidc_api(jwks, logins, login_limiter, holder),
        reader_api(reader_state, profiles, microcosms, conversations, engine, holder),
        microcosms_api(microcosms, conversations, profiles, reader_state, engine, audit,
                       {profile_fragments, comment_fragments}, holder),
        discussion_api({conversations, comments, microcosms, profiles, reader_state, links, views, audit},
                       {profile_fragments, comment_fragments}, engine, holder),
        attributes_api({attributes, profiles, microcosms, conversations, comments, audit}, engine, holder),
        dispatcher(routes, sites, authenticator, holder, log),
        server(server_options(config), [this](http::Exchange& ex) { dispatcher(ex); }, metrics, holder, log,
               [this](http::Exchange& ex) { return dispatcher.never_blocks(ex); }),
        scheduler(pool, holder, metrics, log) {
    sites_api.add_routes(routes);
    auth_api.add_routes(routes);
    profiles_api.add_routes(routes);
    users_api.add_routes(routes);
    roles_api.add_routes(routes);
    oidc_api.add_routes(routes);
    reader_api.add_routes(routes);
    microcosms_api.add_routes(routes);
    discussion_api.add_routes(routes);
    attributes_api.add_routes(routes);
    api::add_permission_routes(routes, engine, microcosms, conversations, comments);
    api::add_index_routes(routes);
    api::add_ops_routes(routes, pool, *cache, metrics);
    if (hook) hook(routes, pool);
    for (auto& job : jobs::builtin_jobs(holder)) scheduler.add(std::move(job));
    scheduler.add({"flush_view_counts", "0 * * * * *", [this](pqxx::connection& c) { views.flush(c); }, true});
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
  auth::TokenService tokens;
  store::BanStore bans;
  store::MicrocosmStore microcosms;
  store::RoleStore roles;
  store::AttributeStore attributes;
  store::AuditLog audit;
  perm::Engine engine;
  store::OutboxStore outbox;
  store::LoginCodeStore login_codes;
  store::ReaderStateStore reader_state;
  store::ConversationStore conversations;
  store::CommentStore comments;
  store::LinkStore links;
  store::ViewCounter views;
  mail::Sender mail_sender;
  auth::LoginService logins;
  auth::PasswordHasher passwords;
  api::Authenticator authenticator;
  RateLimiter login_limiter;
  api::RouteTable routes;
  api::SitesApi sites_api;
  api::AuthApi auth_api;
  api::ProfilesApi profiles_api;
  api::UsersApi users_api;
  api::RolesApi roles_api;
  auth::JwksCache jwks;
  api::OidcApi oidc_api;
  api::ReaderApi reader_api;
  // The L1 of written JSON (api/fragment_memo.hpp), bounded in bytes: 4 MB of profile
  // summaries (~6,000), 32 MB of comment summaries (~10,000 of a few KB; none over 128 KB).
  api::FragmentMemo profile_fragments{4 << 20, metrics.fragment_hits, metrics.fragment_misses};
  api::FragmentMemo comment_fragments{32 << 20, metrics.fragment_hits, metrics.fragment_misses};
  api::MicrocosmsApi microcosms_api;
  api::DiscussionApi discussion_api;
  api::AttributesApi attributes_api;
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
