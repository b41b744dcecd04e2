#include "agora/store/user_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr const char* insert_user = "user_insert";
constexpr const char* select_by_canonical = "user_by_canonical";
constexpr const char* select_by_id = "user_by_id";
constexpr const char* columns =
    "user_id, email, canonical_email, COALESCE(password_hash, ''), "
    "(EXTRACT(EPOCH FROM created) * 1000000)::bigint";

User row_to_user(const pqxx::row& r) {
  return {UserId{r[0].as<std::int64_t>()}, r[1].as<std::string>(), r[2].as<std::string>(), r[3].as<std::string>(),
          r[4].as<std::int64_t>()};
}

[[noreturn]] void invalid(std::string_view email) {
  throw Error(ErrorKind::bad_request, "'" + std::string(email.substr(0, 100)) + "' is not a valid e-mail address");
}

}  // namespace

std::string canonical_email(std::string_view email) {
  while (!email.empty() && email.front() == ' ') email.remove_prefix(1);
  while (!email.empty() && email.back() == ' ') email.remove_suffix(1);
  const auto at = email.rfind('@');
  if (email.size() > 254 || at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= email.size()) {
    invalid(email);
  }
  std::string local(email.substr(0, at));
  std::string domain = to_lower(email.substr(at + 1));
  for (unsigned char c : local) {
    if (c <= 0x20 || c == 0x7f || c == '@' || c == '<' || c == '>' || c == '(' || c == ')' || c == ',' || c == ';' ||
        c == '"' || c == '\\') {
      invalid(email);
    }
  }
  bool dot = false;
  for (char c : domain) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) invalid(email);
    dot = dot || c == '.';
  }
  if (!dot || domain.front() == '.' || domain.back() == '.') invalid(email);
  if (domain == "gmail.com" || domain == "googlemail.com") {
    domain = "gmail.com";
    local = to_lower(local.substr(0, local.find('+')));
    local.erase(std::remove(local.begin(), local.end(), '.'), local.end());
    if (local.empty()) invalid(email);
  }
  return local + "@" + domain;
}

void UserStore::register_statements(db::Statements& st) {
  st.add(insert_user,
         "INSERT INTO users (email, canonical_email, password_hash) VALUES ($1, $2, NULLIF($3, ''))"
         " ON CONFLICT (canonical_email) DO NOTHING RETURNING user_id");
  st.add(select_by_canonical, std::string("SELECT ") + columns + " FROM users WHERE canonical_email = $1");
  st.add(select_by_id, std::string("SELECT ") + columns + " FROM users WHERE user_id = $1");
}

UserId UserStore::create(std::string_view email, const std::string& password_hash) {
  const auto canonical = canonical_email(email);
  auto id = pool_.run([&](pqxx::connection& c) -> std::int64_t {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(insert_user, std::string(email), canonical, password_hash);
    tx.commit();
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  });
  if (id == 0) throw Error(ErrorKind::conflict, "A user with that e-mail address already exists");
  return UserId{id};
}

std::optional<User> UserStore::find_by_email(std::string_view email) {
  const auto canonical = canonical_email(email);
  return pool_.run([&](pqxx::connection& c) -> std::optional<User> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_by_canonical, canonical);
    if (r.empty()) return std::nullopt;
    return row_to_user(r[0]);
  });
}

std::optional<User> UserStore::get(UserId id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<User> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_by_id, id.value());
    if (r.empty()) return std::nullopt;
    return row_to_user(r[0]);
  });
}

}  // namespace agora::store
