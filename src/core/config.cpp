#include "agora/core/config.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

#include "agora/core/cron.hpp"
#include "agora/core/error.hpp"

namespace agora {
namespace {

[[noreturn]] void fail(std::string_view source, std::string_view key, const toml::source_region& where,
                       std::string_view what) {
  std::ostringstream msg;
  msg << source << ": " << key;
  if (where.begin.line > 0) msg << " (line " << where.begin.line << ")";
  msg << ": " << what;
  throw Error(ErrorKind::bad_request, msg.str());
}

/// Reads the keys of one table, refusing unknown ones so typos are caught.
class Section {
 public:
  /// `parent` names the enclosing table in messages ("oidc." for [oidc.demo]).
  Section(const toml::table& root, std::string name, std::string_view source, std::string parent = "")
      : name_(std::move(name)), parent_(std::move(parent)), source_(source) {
    if (auto node = root.get(name_)) {
      table_ = node->as_table();
      if (!table_) fail(source_, "[" + parent_ + name_ + "]", node->source(), "must be a table");
    }
  }

  void get(std::string_view key, std::string& out) {
    if (auto n = find(key)) {
      auto v = n->value<std::string>();
      if (!n->is_string() || !v) fail(source_, path(key), n->source(), "must be a string");
      out = *v;
    }
  }
  void get(std::string_view key, bool& out) {
    if (auto n = find(key)) {
      if (!n->is_boolean()) fail(source_, path(key), n->source(), "must be true or false");
      out = *n->value<bool>();
    }
  }
  template <class Int>
  void get(std::string_view key, Int& out, long long min, long long max) {
    if (auto n = find(key)) {
      if (!n->is_integer()) fail(source_, path(key), n->source(), "must be an integer");
      long long v = *n->value<long long>();
      if (v < min || v > max) {
        fail(source_, path(key), n->source(),
             "must be between " + std::to_string(min) + " and " + std::to_string(max));
      }
      out = static_cast<Int>(v);
    }
  }
  void get(std::string_view key, std::vector<std::string>& out) {
    if (auto n = find(key)) {
      auto arr = n->as_array();
      if (!arr) fail(source_, path(key), n->source(), "must be an array of strings");
      std::vector<std::string> items;
      for (auto& el : *arr) {
        if (!el.is_string()) fail(source_, path(key), el.source(), "must be an array of strings");
        items.push_back(*el.value<std::string>());
      }
      out = std::move(items);
    }
  }
  void one_of(std::string_view key, const std::string& value, std::initializer_list<std::string_view> allowed) {
    for (auto a : allowed) {
      if (value == a) return;
    }
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    auto n = find(key);
    fail(source_, path(key), n ? n->source() : toml::source_region{}, "must be one of: " + list);
  }
  /// Every key of the section, for free-form tables like [jobs].
  const toml::table* table() const { return table_; }
  std::string path(std::string_view key) const { return "[" + parent_ + name_ + "]." + std::string(key); }

  /// Fails on a key that no `get` asked for.
  void reject_unknown() const {
    if (!table_) return;
    for (auto& [k, v] : *table_) {
      if (!seen_.count(std::string(k.str()))) fail(source_, path(k.str()), v.source(), "unknown key");
    }
  }

 private:
  const toml::node* find(std::string_view key) {
    seen_.insert(std::string(key));
    return table_ ? table_->get(key) : nullptr;
  }

  std::string name_;
  std::string parent_;
  std::string_view source_;
  const toml::table* table_ = nullptr;
  std::set<std::string> seen_;
};

/// Outbound lookups go over HTTPS; plain HTTP only to this machine (a local proxy, tests).
bool https_or_loopback(const std::string& url) {
  for (const char* prefix : {"https://", "http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:", "http://localhost/"}) {
    if (url.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

void check_host_port(std::string_view source, const std::string& key, const std::string& value, bool allow_empty) {
  if (allow_empty && value.empty()) return;
  auto colon = value.rfind(':');
  bool ok = colon != std::string::npos && colon > 0 && colon + 1 < value.size();
  if (ok) {
    for (auto c : value.substr(colon + 1)) ok = ok && c >= '0' && c <= '9';
    ok = ok && value.size() - colon - 1 <= 5 && std::stoi(value.substr(colon + 1)) <= 65535;
  }
  if (!ok) fail(source, key, {}, "must be \"host:port\", got \"" + value + "\"");
}

}  // namespace

const std::vector<std::string>& default_reserved_subdomains() {
  static const std::vector<std::string> names = {
      "about", "abuse", "account", "accounts", "admin", "admins", "adminstrator", "adminstrators", "api",
      "assets", "atom", "billing", "billings", "blog", "bugs", "calendar", "chat", "code", "communities",
      "community", "contact", "contributors", "coppa", "copyright", "css", "customise", "customize", "demo",
      "dev", "developer", "developers", "development", "direct", "docs", "email", "example", "feedback",
      "files", "forum", "ftp", "git", "help", "hostmaster", "imap", "inbox", "jabber", "lab", "login",
      "mail", "manage", "mobile", "mx", "official", "owa", "pages", "payment", "policy", "pop", "postmaster",
      "press", "privacy", "prod", "production", "profile", "search", "secure", "signup", "sitemap", "sites",
      "smtp", "ssl", "staff", "stage", "staging", "static", "status", "support", "username", "usernames",
      "users", "webmail", "webmaster", "www", "xmpp", "root"};
  return names;
}

Config parse_config(std::string_view text, std::string_view source_name) {
  toml::table root;
  try {
    root = toml::parse(text, source_name);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << source_name << " (line " << e.source().begin.line << ", column " << e.source().begin.column
        << "): " << e.description();
    throw Error(ErrorKind::bad_request, msg.str());
  }

  static const std::set<std::string> sections = {"http", "database", "cache", "sites", "log", "auth", "mail", "oidc", "jobs"};
  for (auto& [k, v] : root) {
    if (!sections.count(std::string(k.str()))) fail(source_name, "[" + std::string(k.str()) + "]", v.source(), "unknown section");
  }

  Config c;
  c.source = std::string(source_name);

  Section http(root, "http", source_name);
  http.get("listen", c.http.listen);
  http.get("admin_listen", c.http.admin_listen);
  http.get("threads", c.http.threads, 0, 256);
  http.get("max_body_bytes", c.http.max_body_bytes, 1024, 1LL << 30);
  http.get("max_header_bytes", c.http.max_header_bytes, 1024, 1 << 20);
  http.get("max_json_depth", c.http.max_json_depth, 2, 1000);
  http.get("header_timeout_ms", c.http.header_timeout_ms, 10, 3'600'000);
  http.get("request_timeout_ms", c.http.request_timeout_ms, 10, 3'600'000);
  http.get("idle_timeout_ms", c.http.idle_timeout_ms, 10, 3'600'000);
  http.get("drain_timeout_ms", c.http.drain_timeout_ms, 0, 3'600'000);
  http.get("trusted_proxies", c.http.trusted_proxies);
  http.get("cors_origins", c.http.cors_origins);
  http.get("anonymous_max_age", c.http.anonymous_max_age, 0, 31'536'000);
  http.reject_unknown();
  check_host_port(source_name, http.path("listen"), c.http.listen, false);
  check_host_port(source_name, http.path("admin_listen"), c.http.admin_listen, true);

  Section db(root, "database", source_name);
  db.get("url", c.database.url);
  db.get("pool_size", c.database.pool_size, 1, 1000);
  db.get("acquire_timeout_ms", c.database.acquire_timeout_ms, 1, 600'000);
  db.get("statement_timeout_ms", c.database.statement_timeout_ms, 0, 3'600'000);
  db.get("connect_timeout_ms", c.database.connect_timeout_ms, 1000, 600'000);
  db.reject_unknown();
  if (c.database.url.rfind("postgresql://", 0) != 0 && c.database.url.rfind("postgres://", 0) != 0) {
    fail(source_name, db.path("url"), {}, "must start with postgresql://");
  }

  Section cache(root, "cache", source_name);
  cache.get("backend", c.cache.backend);
  cache.get("namespace", c.cache.key_namespace);
  cache.get("servers", c.cache.servers);
  // memcached reads an expiry above 30 days as an absolute time (conventions.md §15.3).
  cache.get("ttl_seconds", c.cache.ttl_seconds, 1, 2'592'000);
  cache.get("timeout_ms", c.cache.timeout_ms, 1, 60'000);
  cache.get("memory_max_items", c.cache.memory_max_items, 16, 100'000'000);
  cache.reject_unknown();
  cache.one_of("backend", c.cache.backend, {"memcached", "memory"});
  {
    const auto& ns = c.cache.key_namespace;
    bool ok = !ns.empty() && ns.size() <= 40;
    for (char ch : ns) ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-');
    if (!ok) fail(source_name, cache.path("namespace"), {}, "must match ^[a-z0-9_-]{1,40}$");
  }
  if (c.cache.backend == "memcached") {
    if (c.cache.servers.empty()) fail(source_name, cache.path("servers"), {}, "needs at least one server");
    for (auto& s : c.cache.servers) check_host_port(source_name, cache.path("servers"), s, false);
  }

  Section sites(root, "sites", source_name);
  sites.get("domain", c.sites.domain);
  c.sites.reserved = default_reserved_subdomains();
  sites.get("reserved", c.sites.reserved);
  sites.get("jump_url", c.sites.jump_url);
  sites.get("max_comment_chars", c.sites.max_comment_chars, 1, 10'000'000);
  sites.reject_unknown();
  if (c.sites.domain.empty()) fail(source_name, sites.path("domain"), {}, "must not be empty");
  for (auto& ch : c.sites.domain) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));

  Section log(root, "log", source_name);
  log.get("level", c.log.level);
  log.get("format", c.log.format);
  log.get("access_log", c.log.access_log);
  log.reject_unknown();
  log.one_of("level", c.log.level, {"trace", "debug", "info", "warn", "error", "critical", "off"});
  log.one_of("format", c.log.format, {"text", "json"});

  Section auth(root, "auth", source_name);
  auth.get("token_lifetime_days", c.auth.token_lifetime_days, 1, 3650);
  auth.get("password_opslimit", c.auth.password_opslimit, 1, 20);
  auth.get("password_memlimit_kib", c.auth.password_memlimit_kib, 8, 4 * 1024 * 1024);
  auth.get("login_attempts_per_ip", c.auth.login_attempts_per_ip, 1, 1'000'000);
  auth.get("login_attempts_per_email", c.auth.login_attempts_per_email, 1, 1'000'000);
  auth.get("login_window_seconds", c.auth.login_window_seconds, 1, 86'400);
  auth.get("login_code_minutes", c.auth.login_code_minutes, 1, 1440);
  auth.get("login_code_attempts", c.auth.login_code_attempts, 1, 100);
  auth.get("audit_retention_days", c.auth.audit_retention_days, 1, 36'500);
  auth.get("spam_check_url", c.auth.spam_check_url);
  auth.get("spam_check_timeout_ms", c.auth.spam_check_timeout_ms, 100, 60'000);
  {
    long long confidence = static_cast<long long>(c.auth.spam_min_confidence);
    auth.get("spam_min_confidence", confidence, 0, 100);
    c.auth.spam_min_confidence = static_cast<double>(confidence);
  }
  auth.reject_unknown();
  if (!c.auth.spam_check_url.empty() && !https_or_loopback(c.auth.spam_check_url)) {
    fail(source_name, auth.path("spam_check_url"), {}, "must be an https:// URL (or empty to turn the check off)");
  }

  Section mail(root, "mail", source_name);
  mail.get("enabled", c.mail.enabled);
  mail.get("smtp_url", c.mail.smtp_url);
  mail.get("from", c.mail.from);
  mail.get("username", c.mail.username);
  mail.get("password", c.mail.password);
  mail.get("timeout_ms", c.mail.timeout_ms, 100, 600'000);
  mail.get("poll_interval_ms", c.mail.poll_interval_ms, 10, 3'600'000);
  mail.get("max_attempts", c.mail.max_attempts, 1, 1000);
  mail.reject_unknown();
  if (c.mail.smtp_url.rfind("smtp://", 0) != 0 && c.mail.smtp_url.rfind("smtps://", 0) != 0) {
    fail(source_name, mail.path("smtp_url"), {}, "must start with smtp:// or smtps://");
  }
  if (c.mail.from.find_first_of("\r\n") != std::string::npos || c.mail.from.find('@') == std::string::npos) {
    fail(source_name, mail.path("from"), {}, "must be one mail address, optionally with a name");
  }

  // [oidc.<subdomainKey>]: one OpenID Connect provider per site.
  if (auto node = root.get("oidc")) {
    auto providers = node->as_table();
    if (!providers) fail(source_name, "[oidc]", node->source(), "must hold one table per site: [oidc.<subdomainKey>]");
    for (auto& [site, v] : *providers) {
      Section p(*providers, std::string(site.str()), source_name, "oidc.");
      OidcProvider o;
      p.get("issuer", o.issuer);
      p.get("audience", o.audience);
      p.get("jwks_file", o.jwks_file);
      p.get("jwks_url", o.jwks_url);
      p.get("leeway_seconds", o.leeway_seconds, 0, 600);
      p.reject_unknown();
      if (o.issuer.empty()) fail(source_name, p.path("issuer"), {}, "is required");
      if (o.audience.empty()) fail(source_name, p.path("audience"), {}, "is required (the client id)");
      if (o.jwks_file.empty() == o.jwks_url.empty()) {
        fail(source_name, p.path("jwks_file"), {}, "give exactly one of jwks_file and jwks_url");
      }
      if (!o.jwks_url.empty() && !https_or_loopback(o.jwks_url)) {
        fail(source_name, p.path("jwks_url"), {}, "must be an https:// URL");
      }
      c.oidc[std::string(site.str())] = std::move(o);
    }
  }

  Section jobs(root, "jobs", source_name);
  if (auto t = jobs.table()) {
    for (auto& [k, v] : *t) {
      if (!v.is_string()) fail(source_name, jobs.path(k.str()), v.source(), "must be a cron expression string");
      auto expr = *v.value<std::string>();
      try {
        CronSchedule::parse(expr);
      } catch (const Error& e) {
        fail(source_name, jobs.path(k.str()), v.source(), e.what());
      }
      c.jobs.schedules[std::string(k.str())] = expr;
    }
  }
  return c;
}

Config load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::bad_request, path + ": cannot be read");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_config(buf.str(), path);
}

std::vector<std::string> restart_required_changes(const Config& a, const Config& b) {
  std::vector<std::string> changed;
  auto check = [&](bool differs, const char* key) {
    if (differs) changed.emplace_back(key);
  };
  check(a.http.listen != b.http.listen, "[http].listen");
  check(a.http.admin_listen != b.http.admin_listen, "[http].admin_listen");
  check(a.http.threads != b.http.threads, "[http].threads");
  check(a.http.max_body_bytes != b.http.max_body_bytes, "[http].max_body_bytes");
  check(a.http.max_header_bytes != b.http.max_header_bytes, "[http].max_header_bytes");
  check(a.http.header_timeout_ms != b.http.header_timeout_ms, "[http].header_timeout_ms");
  check(a.http.request_timeout_ms != b.http.request_timeout_ms, "[http].request_timeout_ms");
  check(a.http.idle_timeout_ms != b.http.idle_timeout_ms, "[http].idle_timeout_ms");
  check(a.http.trusted_proxies != b.http.trusted_proxies, "[http].trusted_proxies");
  check(a.database.url != b.database.url, "[database].url");
  check(a.database.pool_size != b.database.pool_size, "[database].pool_size");
  check(a.database.acquire_timeout_ms != b.database.acquire_timeout_ms, "[database].acquire_timeout_ms");
  check(a.database.statement_timeout_ms != b.database.statement_timeout_ms, "[database].statement_timeout_ms");
  check(a.database.connect_timeout_ms != b.database.connect_timeout_ms, "[database].connect_timeout_ms");
  check(a.cache.backend != b.cache.backend, "[cache].backend");
  check(a.cache.servers != b.cache.servers, "[cache].servers");
  check(a.cache.key_namespace != b.cache.key_namespace, "[cache].namespace");
  check(a.cache.timeout_ms != b.cache.timeout_ms, "[cache].timeout_ms");
  check(a.cache.memory_max_items != b.cache.memory_max_items, "[cache].memory_max_items");
  check(a.sites.domain != b.sites.domain, "[sites].domain");
  check(a.log.format != b.log.format, "[log].format");
  check(a.auth.password_opslimit != b.auth.password_opslimit, "[auth].password_opslimit");
  check(a.auth.password_memlimit_kib != b.auth.password_memlimit_kib, "[auth].password_memlimit_kib");
  return changed;
}

}  // namespace agora
