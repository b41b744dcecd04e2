#include "agora/store/login_code_store.hpp"

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/outbox_store.hpp"

namespace agora::store {
namespace {

constexpr db::Query kInsertCode{"login_code_insert", R"sql(
  INSERT INTO login_codes (site_id, email, canonical_email, code_hash, expires)
  VALUES ($1, $2, $3, $4, (now() AT TIME ZONE 'UTC') + make_interval(mins => $5)))sql"};

constexpr db::Query kNewestCode{"login_code_newest", R"sql(
  SELECT code_id, code_hash FROM login_codes
  WHERE site_id = $1 AND canonical_email = $2 AND NOT used AND expires > (now() AT TIME ZONE 'UTC')
  ORDER BY code_id DESC LIMIT 1 FOR UPDATE)sql"};

constexpr db::Query kUseCodes{"login_code_use_all", R"sql(
  UPDATE login_codes SET used = true WHERE site_id = $1 AND canonical_email = $2 AND NOT used)sql"};

constexpr db::Query kCountMiss{"login_code_miss", R"sql(
  UPDATE login_codes SET attempts = attempts + 1, used = (attempts + 1 >= $2) WHERE code_id = $1)sql"};

}  // namespace

void LoginCodeStore::register_statements(db::Statements& st) {
  st.add({kInsertCode, kNewestCode, kUseCodes, kCountMiss});
}

void LoginCodeStore::issue(SiteId site, const std::string& email, const std::string& canonical,
                           const std::string& code_hash, int minutes, const std::string& subject,
                           const std::string& body) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    db::exec(tx, kInsertCode, site, email, canonical, code_hash, minutes);
    OutboxStore::enqueue(tx, site, email, subject, body);
    tx.commit();
  });
}

LoginCodeStore::Outcome LoginCodeStore::redeem(SiteId site, const std::string& canonical,
                                               const std::function<bool(const std::string&)>& matches,
                                               int max_attempts) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = db::exec(tx, kNewestCode, site, canonical);
    if (r.empty()) return Outcome::no_code;
    const bool match = matches(r[0]["code_hash"].as<std::string>());
    if (match) {
      db::exec(tx, kUseCodes, site, canonical);
    } else {
      db::exec(tx, kCountMiss, r[0]["code_id"].as<std::int64_t>(), max_attempts);
    }
    tx.commit();
    return match ? Outcome::accepted : Outcome::wrong;
  });
}

}  // namespace agora::store
