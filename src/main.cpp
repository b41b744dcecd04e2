// agora: the command line. Builds the objects for one command and runs it.

#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "agora/app/app.hpp"
#include "agora/app/demo_forum.hpp"
#include "agora/auth/passwords.hpp"
#include "agora/cache/make_cache.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/log.hpp"
#include "agora/core/metrics.hpp"
#include "agora/db/embedded_migrations.hpp"
#include "agora/db/migrations.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/all_statements.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site_store.hpp"
#include "agora/store/user_store.hpp"

namespace {

constexpr int exit_usage = 2;
constexpr const char* usage_text =
    "usage: agora <command> [options]\n"
    "  version                                   print the version\n"
    "  serve --config FILE                       serve the API (SIGHUP or a file change reloads the config)\n"
    "  migrate --config FILE                     apply pending database migrations\n"
    "  create-site --config FILE --subdomain S --title T [--description D] [--domain HOST]\n"
    "              [--owner-email E [--owner-password P]]\n"
    "                                            create a site (and its owner) and print its id\n"
    "  create-user --config FILE --email E [--password P]\n"
    "                                            create a user and print its id\n"
    "  seed-demo --config FILE                   create the demo site (demo.<domain>) and its users if missing\n";

// The demo site's accounts; `make run` prints them. Demo data only, never for production.
constexpr const char* demo_owner_email = "owner@demo.agora.test";
constexpr const char* demo_owner_password = "demo-owner-password";
constexpr const char* demo_member_password = "demo-member-password";
constexpr const char* demo_member_emails[] = {"member@demo.agora.test", "member2@demo.agora.test",
                                              "member3@demo.agora.test"};

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// --key value pairs after the command; each key may be given once.
std::map<std::string, std::string> parse_options(int argc, char** argv, std::initializer_list<const char*> allowed) {
  std::map<std::string, std::string> out;
  for (int i = 2; i < argc; ++i) {
    std::string key = argv[i];
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known) throw UsageError("unknown option " + key);
    if (i + 1 >= argc) throw UsageError(key + " needs a value");
    if (out.count(key)) throw UsageError(key + " given twice");
    out[key] = argv[++i];
  }
  return out;
}

std::string require(const std::map<std::string, std::string>& opts, const std::string& key) {
  auto it = opts.find(key);
  if (it == opts.end() || it->second.empty()) throw UsageError("missing " + key);
  return it->second;
}

int migrate(const agora::Config& config, const agora::Logger& log) {
  pqxx::connection conn(config.database.url);
  agora::db::Migrator migrator(agora::db::embedded_migrations(), log);
  int applied = migrator.migrate(conn);
  std::cout << "schema at version " << migrator.current_version(conn) << " (" << applied << " applied)\n";
  return 0;
}

/// Stores over a small pool and the configured cache, for one-shot commands.
struct OneShot {
  explicit OneShot(const agora::Config& c, agora::Logger log)
      : holder(c), statements(make_statements()), pool(c.database, statements, metrics, log),
        cache_ptr(agora::cache::make_cache(c.cache, metrics, log)), cache(*cache_ptr), sites(pool, cache, holder),
        users(pool), profiles(pool, cache, holder), microcosms(pool, cache, holder),
        conversations(pool, cache, holder, microcosms, profiles), events(pool, cache, holder, microcosms, profiles),
        polls(pool, cache, holder, microcosms), huddles(pool, cache, holder),
        comments(pool, cache, holder, conversations, events, polls, huddles, microcosms, profiles),
        passwords(static_cast<unsigned long long>(c.auth.password_opslimit),
                  static_cast<std::size_t>(c.auth.password_memlimit_kib) * 1024) {}
  static agora::db::Statements make_statements() {
    agora::db::Statements st;
    agora::store::register_store_statements(st);
    return st;
  }

  /// The user with this e-mail, created (with the password, if given) when missing.
  agora::UserId user(const std::string& email, const std::string& password) {
    if (auto u = users.find_by_email(email)) return u->id;
    return users.create(email, password.empty() ? "" : passwords.hash(password));
  }

  /// Makes the user the owner of the site, creating their profile there.
  void make_owner(agora::SiteId site, agora::UserId owner) {
    auto profile = profiles.get_or_create(site, owner);
    sites.set_owner(site, profile.id);
  }

  agora::ConfigHolder holder;
  agora::Metrics metrics;
  agora::db::Statements statements;
  agora::db::Pool pool;
  // The server's cache, so that what this command changes is flushed where the server reads.
  std::unique_ptr<agora::cache::Cache> cache_ptr;
  agora::cache::Cache& cache;
  agora::store::SiteStore sites;
  agora::store::UserStore users;
  agora::store::ProfileStore profiles;
  agora::store::MicrocosmStore microcosms;
  agora::store::ConversationStore conversations;
  agora::store::EventStore events;
  agora::store::PollStore polls;
  agora::store::HuddleStore huddles;
  agora::store::CommentStore comments;
  agora::auth::PasswordHasher passwords;
};

int create_site(const agora::Config& config, const agora::Logger& log, const agora::store::NewSite& site,
                const std::string& owner_email, const std::string& owner_password) {
  OneShot one(config, log);
  // Validate the owner before creating anything.
  if (!owner_email.empty()) agora::store::canonical_email(owner_email);
  const auto owner = owner_email.empty() ? agora::UserId{} : one.user(owner_email, owner_password);
  auto id = one.sites.create(site, owner);
  std::cout << id.value() << "\n";
  return 0;
}

int create_user(const agora::Config& config, const agora::Logger& log, const std::string& email,
                const std::string& password) {
  OneShot one(config, log);
  auto id = one.users.create(email, password.empty() ? "" : one.passwords.hash(password));
  std::cout << id.value() << "\n";
  return 0;
}

int seed_demo(const agora::Config& config, const agora::Logger& log) {
  OneShot one(config, log);
  auto id = one.sites.find_by_subdomain("demo");
  if (!id) {
    agora::store::NewSite demo{"demo", "Agora Demo", "A demo forum to try the API against.", "", true};
    id = one.sites.create(demo, one.user(demo_owner_email, demo_owner_password));
    std::cout << "demo site created: id " << id->value() << "\n";
  } else {
    std::cout << "demo site exists: id " << id->value() << "\n";
  }
  auto site = one.sites.get(*id);
  if (site && !site->owned_by.valid()) one.make_owner(*id, one.user(demo_owner_email, demo_owner_password));
  std::cout << "demo owner:   " << demo_owner_email << " / " << demo_owner_password << "\n";
  std::vector<agora::ProfileId> authors;
  if (auto owner = one.sites.get(*id); owner && owner->owned_by.valid()) authors.push_back(owner->owned_by);
  for (const char* email : demo_member_emails) {
    authors.push_back(one.profiles.get_or_create(*id, one.user(email, demo_member_password)).id);
    std::cout << "demo member:  " << email << " / " << demo_member_password << "\n";
  }
  const int comments = agora::app::seed_demo_forum({one.microcosms, one.conversations, one.comments, one.profiles, one.events,
                                                      one.polls},
                                                   *id, authors);
  if (comments > 0) std::cout << "demo forum: 5 microcosms, 30 conversations, " << comments << " comments\n";
  if (comments > 0 && agora::app::seed_demo_huddle(one.huddles, one.comments, *id, authors).valid()) {
    std::cout << "demo huddle: between " << demo_owner_email << " and the first demo member\n";
  }
  return 0;
}

std::filesystem::file_time_type mtime(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(path, ec);
  return ec ? std::filesystem::file_time_type{} : t;
}

int serve(const std::string& path, agora::Config config, const agora::Logger& log) {
  // Signals are taken synchronously by this thread; every other thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  agora::App app(std::move(config), log);
  app.start();
  auto seen = mtime(path);
  for (;;) {
    timespec poll{1, 0};
    int sig = sigtimedwait(&signals, nullptr, &poll);
    if (sig == SIGINT || sig == SIGTERM) {
      log->info("signal {}: draining and stopping", sig);
      app.stop();
      log->info("stopped");
      return 0;
    }
    auto now = mtime(path);
    if (sig == SIGHUP || now != seen) {
      seen = now;
      try {
        app.reload(agora::load_config_file(path));
      } catch (const agora::Error& e) {
        log->error("config reload refused, keeping the running config: {}", e.what());
      }
    }
  }
}

int run(int argc, char** argv) {
  if (argc < 2) throw UsageError("missing command");
  const std::string command = argv[1];
  if (command == "version" || command == "--version") {
    if (argc > 2) throw UsageError("version takes no options");
    std::cout << "agora " << AGORA_VERSION << "\n";
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << usage_text;
    return 0;
  }

  std::map<std::string, std::string> opts;
  if (command == "create-site") {
    opts = parse_options(argc, argv,
                         {"--config", "--subdomain", "--title", "--description", "--domain", "--owner-email",
                          "--owner-password"});
  } else if (command == "create-user") {
    opts = parse_options(argc, argv, {"--config", "--email", "--password"});
  } else if (command == "serve" || command == "migrate" || command == "seed-demo") {
    opts = parse_options(argc, argv, {"--config"});
  } else {
    throw UsageError("unknown command " + command);
  }
  const auto path = require(opts, "--config");
  agora::store::NewSite site;
  if (command == "create-site") {
    site.subdomain_key = require(opts, "--subdomain");
    site.title = require(opts, "--title");
    if (opts.count("--description")) site.description = opts["--description"];
    if (opts.count("--domain")) site.domain = opts["--domain"];
    if (opts.count("--owner-password") && !opts.count("--owner-email")) {
      throw UsageError("--owner-password needs --owner-email");
    }
  }
  if (command == "create-user") require(opts, "--email");
  auto config = agora::load_config_file(path);
  auto log = agora::make_logger(config.log);

  if (command == "serve") return serve(path, std::move(config), log);
  if (command == "migrate") return migrate(config, log);
  if (command == "seed-demo") return seed_demo(config, log);
  if (command == "create-user") return create_user(config, log, opts["--email"], opts["--password"]);
  return create_site(config, log, site, opts["--owner-email"], opts["--owner-password"]);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "agora: " << e.what() << "\n" << usage_text;
    return exit_usage;
  } catch (const agora::Error& e) {
    std::cerr << "agora: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "agora: " << e.what() << "\n";
    return 1;
  }
}
