#include "agora/store/login_code_store.hpp"

#include <pqxx/pqxx>

#include "agora/auth/passwords.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/outbox_store.hpp"

namespace agora::store {
namespace {

constexpr const char* insert_code = "login_code_insert";
constexpr const char* newest_code = "login_code_newest";
constexpr const char* use_codes = "login_code_use_all";
constexpr const char* count_miss = "login_code_miss";

}  // namespace

void LoginCodeStore::register_statements(db::Statements& st) {
  st.add(insert_code,
         "INSERT INTO login_codes (site_id, email, canonical_email, code_hash, expires)"
         " VALUES ($1, $2, $3, $4, (now() AT TIME ZONE 'UTC') + make_interval(mins => $5))");
  st.add(newest_code,
         "SELECT code_id, code_hash FROM login_codes WHERE site_id = $1 AND canonical_email = $2 AND NOT used"
         " AND expires > (now() AT TIME ZONE 'UTC') ORDER BY code_id DESC LIMIT 1 FOR UPDATE");
  st.add(use_codes, "UPDATE login_codes SET used = true WHERE site_id = $1 AND canonical_email = $2 AND NOT used");
  st.add(count_miss,
         "UPDATE login_codes SET attempts = attempts + 1, used = (attempts + 1 >= $2) WHERE code_id = $1");
}

void LoginCodeStore::issue(SiteId site, const std::string& email, const std::string& canonical,
                           const std::string& code, int minutes, const std::string& subject,
                           const std::string& body) {
  const auto hash = hasher_.hash(code);
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(insert_code, site.value(), email, canonical, hash, minutes);
    OutboxStore::enqueue(tx, site, email, subject, body);
    tx.commit();
  });
}

LoginCodeStore::Outcome LoginCodeStore::redeem(SiteId site, const std::string& canonical, const std::string& code,
                                               int max_attempts) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(newest_code, site.value(), canonical);
    if (r.empty()) return Outcome::no_code;
    const bool match = hasher_.verify(r[0][1].as<std::string>(), code);
    if (match) {
      tx.exec_prepared(use_codes, site.value(), canonical);
    } else {
      tx.exec_prepared(count_miss, r[0][0].as<std::int64_t>(), max_attempts);
    }
    tx.commit();
    return match ? Outcome::accepted : Outcome::wrong;
  });
}

}  // namespace agora::store
