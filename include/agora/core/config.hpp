#pragma once
// Agora's configuration: one TOML file, every key documented in config/agora.toml.
// Parsing validates every key and names the key (and line) that is wrong.

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace agora {

struct HttpConfig {
  std::string listen = "127.0.0.1:8080";
  std::string admin_listen;  // empty: /healthz, /readyz, /metrics served on `listen`
  int threads = 0;           // I/O threads; 0 = one per core
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 * 1024;
  int max_json_depth = 64;
  int header_timeout_ms = 10'000;
  int request_timeout_ms = 30'000;
  int idle_timeout_ms = 60'000;
  int drain_timeout_ms = 10'000;
  std::vector<std::string> trusted_proxies = {"127.0.0.1"};
  std::vector<std::string> cors_origins = {"*"};
  int anonymous_max_age = 300;
};

struct DatabaseConfig {
  std::string url = "postgresql://agora@127.0.0.1:5432/agora";
  int pool_size = 8;
  int acquire_timeout_ms = 2'000;
  int statement_timeout_ms = 5'000;
  int connect_timeout_ms = 2'000;
};

struct CacheConfig {
  std::string backend = "memory";  // "memcached" | "memory"
  std::string key_namespace = "agora";  // prefix of every key: deployments sharing memcached differ here
  std::vector<std::string> servers = {"127.0.0.1:11211"};
  int ttl_seconds = 604'800;
  int timeout_ms = 100;
  std::size_t memory_max_items = 100'000;
};

struct SitesConfig {
  std::string domain = "localhost";
  std::vector<std::string> reserved;  // defaults to the list in platform.md §1.4
  std::string jump_url;               // short-link prefix; "" = https://{domain}/out/
  int max_comment_chars = 50'000;
};

struct LogConfig {
  std::string level = "info";
  std::string format = "text";  // "text" | "json"
  bool access_log = true;
};

struct AuthConfig {
  int token_lifetime_days = 365;
  int password_opslimit = 2;             // argon2id passes (libsodium "interactive")
  int password_memlimit_kib = 64 * 1024; // argon2id memory
  int login_attempts_per_ip = 10;        // per login_window_seconds; then 429
  int login_attempts_per_email = 10;
  int login_window_seconds = 60;
  int login_code_minutes = 15;   // an e-mailed sign-in code is valid this long
  int login_code_attempts = 5;   // wrong guesses before a code is dead
  int audit_retention_days = 365;  // IP audit rows are purged after this many days
  std::string spam_check_url;      // StopForumSpam API before new accounts; "" = off
  int spam_check_timeout_ms = 2000;
  double spam_min_confidence = 0;  // listed addresses above this confidence are refused
};

struct MailConfig {
  bool enabled = true;  // false: mail stays in the outbox, nothing is sent
  std::string smtp_url = "smtp://127.0.0.1:25";  // smtp:// or smtps://
  std::string from = "Agora <noreply@localhost>";
  std::string username;
  std::string password;
  int timeout_ms = 10'000;
  int poll_interval_ms = 2'000;
  int max_attempts = 10;  // then the message is marked failed
};

/// One site's OpenID Connect provider (identity.md §2.2 Decision): ID tokens are verified
/// against the provider's keys, issuer and our client id (audience).
struct OidcProvider {
  std::string issuer;
  std::string audience;
  std::string jwks_file;  // a JWKS document on disk, or
  std::string jwks_url;   // fetched over HTTPS and kept for an hour
  int leeway_seconds = 60;

  bool operator==(const OidcProvider&) const = default;
};

struct JobsConfig {
  std::map<std::string, std::string> schedules;  // job name -> cron expression
};

struct Config {
  HttpConfig http;
  DatabaseConfig database;
  CacheConfig cache;
  SitesConfig sites;
  LogConfig log;
  AuthConfig auth;
  MailConfig mail;
  std::map<std::string, OidcProvider> oidc;  // by site subdomain key
  JobsConfig jobs;
  std::string source;  // file it came from, for messages
};

/// Parses TOML text. Throws agora::Error naming the key and line on any problem.
Config parse_config(std::string_view toml_text, std::string_view source_name);

/// Reads and parses a file. Throws agora::Error when unreadable or invalid.
Config load_config_file(const std::string& path);

/// The keys whose change takes effect only after a restart, differing between a and b.
std::vector<std::string> restart_required_changes(const Config& a, const Config& b);

/// The default reserved subdomains (platform.md §1.4, plus `root`).
const std::vector<std::string>& default_reserved_subdomains();

/// Holds the live configuration; readers take a snapshot, the reloader swaps it.
class ConfigHolder {
 public:
  explicit ConfigHolder(Config initial) : current_(std::make_shared<const Config>(std::move(initial))) {}
  std::shared_ptr<const Config> get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void set(Config next) {
    auto p = std::make_shared<const Config>(std::move(next));
    std::lock_guard lock(mutex_);
    current_ = std::move(p);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Config> current_;
};

}  // namespace agora
