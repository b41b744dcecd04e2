#include "agora/store/user_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr db::Query kInsertUser{"user_insert", R"sql(
  INSERT INTO users (email, canonical_email, password_hash) VALUES ($1, $2, NULLIF($3, ''))
  ON CONFLICT (canonical_email) DO NOTHING RETURNING user_id)sql"};

constexpr db::Query kSelectByCanonical{"user_by_canonical", R"sql(
  SELECT user_id, email, canonical_email, COALESCE(password_hash, '') AS password_hash,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros
  FROM users WHERE canonical_email = $1)sql"};

constexpr db::Query kSelectById{"user_by_id", R"sql(
  SELECT user_id, email, canonical_email, COALESCE(password_hash, '') AS password_hash,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros
  FROM users WHERE user_id = $1)sql"};

User user_from_row(const pqxx::row& r) {
  return {r["user_id"].as<UserId>(), r["email"].as<std::string>(), r["canonical_email"].as<std::string>(),
          r["password_hash"].as<std::string>(), r["created_micros"].as<std::int64_t>()};
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

void UserStore::register_statements(db::Statements& st) { st.add({kInsertUser, kSelectByCanonical, kSelectById}); }

UserId UserStore::create(std::string_view email, const std::string& password_hash) {
  const auto canonical = canonical_email(email);
  auto id = db::value<UserId>(db::write(pool_, kInsertUser, std::string(email), canonical, password_hash));
  if (!id) throw Error(ErrorKind::conflict, "A user with that e-mail address already exists");
  return *id;
}

std::optional<User> UserStore::find_by_email(std::string_view email) {
  return db::first_row(db::read(pool_, kSelectByCanonical, canonical_email(email)), user_from_row);
}

std::optional<User> UserStore::get(UserId id) { return db::first_row(db::read(pool_, kSelectById, id), user_from_row); }

}  // namespace agora::store
