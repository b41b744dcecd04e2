#include "agora/store/outbox_store.hpp"

#include <pqxx/pqxx>

#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr const char* insert_mail = "outbox_insert";
constexpr const char* claim_due = "outbox_claim";
constexpr const char* sent = "outbox_sent";
constexpr const char* failed = "outbox_failed";

}  // namespace

void OutboxStore::register_statements(db::Statements& st) {
  st.add(insert_mail, "INSERT INTO outbox (site_id, to_address, subject, body) VALUES ($1, $2, $3, $4)");
  st.add(claim_due,
         "UPDATE outbox SET attempts = attempts + 1,"
         " next_attempt = (now() AT TIME ZONE 'UTC') + make_interval(secs => $2)"
         " WHERE mail_id IN (SELECT mail_id FROM outbox WHERE sent IS NULL AND NOT failed"
         " AND next_attempt <= (now() AT TIME ZONE 'UTC') ORDER BY next_attempt LIMIT $1 FOR UPDATE SKIP LOCKED)"
         " RETURNING mail_id, site_id, to_address, subject, body, attempts");
  // Bodies can carry sign-in codes: they are dropped once the message is delivered or given up.
  st.add(sent, "UPDATE outbox SET sent = (now() AT TIME ZONE 'UTC'), last_error = '', body = '' WHERE mail_id = $1");
  st.add(failed,
         "UPDATE outbox SET last_error = $2, failed = $4, body = CASE WHEN $4 THEN '' ELSE body END,"
         " next_attempt = (now() AT TIME ZONE 'UTC') + make_interval(secs => $3) WHERE mail_id = $1");
}

void OutboxStore::enqueue(pqxx::transaction_base& tx, SiteId site, const std::string& to, const std::string& subject,
                          const std::string& body) {
  tx.exec_prepared(insert_mail, site.value(), to, subject, body);
}

std::vector<Mail> OutboxStore::claim(int limit, int lease_seconds) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    std::vector<Mail> out;
    for (const auto& r : tx.exec_prepared(claim_due, limit, lease_seconds)) {
      out.push_back({r[0].as<std::int64_t>(), SiteId{r[1].as<std::int64_t>()}, r[2].as<std::string>(),
                     r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<int>()});
    }
    tx.commit();
    return out;
  });
}

void OutboxStore::mark_sent(std::int64_t id) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(sent, id);
    tx.commit();
  });
}

void OutboxStore::mark_failed(std::int64_t id, const std::string& error, int retry_in_seconds, bool give_up) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(failed, id, error.substr(0, 1000), retry_in_seconds, give_up);
    tx.commit();
  });
}

}  // namespace agora::store
