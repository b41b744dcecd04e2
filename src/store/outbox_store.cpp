#include "agora/store/outbox_store.hpp"

#include <pqxx/pqxx>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr db::Query kInsertMail{"outbox_insert", R"sql(
  INSERT INTO outbox (site_id, to_address, subject, body) VALUES ($1, $2, $3, $4))sql"};

constexpr db::Query kClaimDue{"outbox_claim", R"sql(
  UPDATE outbox SET attempts = attempts + 1, next_attempt = (now() AT TIME ZONE 'UTC') + make_interval(secs => $2)
  WHERE mail_id IN (SELECT mail_id FROM outbox WHERE sent IS NULL AND NOT failed
                    AND next_attempt <= (now() AT TIME ZONE 'UTC')
                    ORDER BY next_attempt LIMIT $1 FOR UPDATE SKIP LOCKED)
  RETURNING mail_id, site_id, to_address, subject, body, attempts)sql"};

// Bodies can carry sign-in codes: they are dropped once the message is delivered or given up.
constexpr db::Query kSent{"outbox_sent", R"sql(
  UPDATE outbox SET sent = (now() AT TIME ZONE 'UTC'), last_error = '', body = '' WHERE mail_id = $1)sql"};

constexpr db::Query kFailed{"outbox_failed", R"sql(
  UPDATE outbox SET last_error = $2, failed = $4, body = CASE WHEN $4 THEN '' ELSE body END,
    next_attempt = (now() AT TIME ZONE 'UTC') + make_interval(secs => $3)
  WHERE mail_id = $1)sql"};

Mail mail_from_row(const pqxx::row& r) {
  return {r["mail_id"].as<std::int64_t>(), r["site_id"].as<SiteId>(), r["to_address"].as<std::string>(),
          r["subject"].as<std::string>(),  r["body"].as<std::string>(), r["attempts"].as<int>()};
}

}  // namespace

void OutboxStore::register_statements(db::Statements& st) { st.add({kInsertMail, kClaimDue, kSent, kFailed}); }

void OutboxStore::enqueue(pqxx::transaction_base& tx, SiteId site, const std::string& to, const std::string& subject,
                          const std::string& body) {
  db::exec(tx, kInsertMail, site, to, subject, body);
}

std::vector<Mail> OutboxStore::claim(int limit, int lease_seconds) {
  return db::map_rows(db::write(pool_, kClaimDue, limit, lease_seconds), mail_from_row);
}

void OutboxStore::mark_sent(std::int64_t id) { db::write(pool_, kSent, id); }

void OutboxStore::mark_failed(std::int64_t id, const std::string& error, int retry_in_seconds, bool give_up) {
  db::write(pool_, kFailed, id, error.substr(0, 1000), retry_in_seconds, give_up);
}

}  // namespace agora::store
