#pragma once
// E-mailed one-time sign-in codes, stored as argon2id hashes. Only the newest live code of
// an address counts; it dies when used, when it expires, or after too many wrong guesses.

#include <functional>
#include <string>

#include "agora/core/ids.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

class LoginCodeStore {
 public:
  explicit LoginCodeStore(db::Pool& pool) : pool_(pool) {}
  static void register_statements(db::Statements& statements);

  /// Stores the code's hash (hashed by the caller: auth/ owns the hashing) and queues its
  /// mail in one transaction.
  void issue(SiteId site, const std::string& email, const std::string& canonical_email, const std::string& code_hash,
             int lifetime_minutes, const std::string& subject, const std::string& body);

  enum class Outcome { accepted, wrong, no_code };
  /// Checks a guess against the newest live code with `matches(stored hash)`; a wrong guess
  /// counts towards `max_attempts`.
  Outcome redeem(SiteId site, const std::string& canonical_email,
                 const std::function<bool(const std::string& code_hash)>& matches, int max_attempts);

 private:
  db::Pool& pool_;
};

}  // namespace agora::store
