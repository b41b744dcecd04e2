#pragma once
// The mail outbox: rows are added inside the transaction of the event that causes them and
// drained by mail::Sender. A claim leases due rows (so two senders never send one row);
// failures are retried later, and after too many attempts kept as failed.

#include <string>
#include <vector>

#include "agora/core/ids.hpp"

#include "agora/store/store_fwd.hpp"

namespace pqxx {
class transaction_base;
}

namespace agora::store {

struct Mail {
  std::int64_t id = 0;
  SiteId site;
  std::string to;
  std::string subject;
  std::string body;
  int attempts = 0;  // including the one now leased
};

class OutboxStore {
 public:
  explicit OutboxStore(db::Pool& pool) : pool_(pool) {}
  static void register_statements(db::Statements& statements);

  /// Adds a message inside the caller's transaction.
  static void enqueue(pqxx::transaction_base& tx, SiteId site, const std::string& to, const std::string& subject,
                      const std::string& body);

  /// Leases up to `limit` due messages for `lease_seconds` and counts the attempt.
  std::vector<Mail> claim(int limit, int lease_seconds);
  void mark_sent(std::int64_t id);
  /// Records the error; the message is retried after `retry_in_seconds`, or never when `give_up`.
  void mark_failed(std::int64_t id, const std::string& error, int retry_in_seconds, bool give_up);

 private:
  db::Pool& pool_;
};

}  // namespace agora::store
