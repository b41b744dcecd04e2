#pragma once
// Users: global accounts keyed by canonical e-mail (identity.md §5). Not cached: users are
// read on login only; requests carry profiles.

#include <optional>
#include <string>
#include <string_view>

#include "agora/core/ids.hpp"

namespace agora::db {
class Pool;
class Statements;
}  // namespace agora::db

namespace agora::store {

struct User {
  UserId id;
  std::string email;
  std::string canonical_email;
  std::string password_hash;  // "" when the account has no password
  std::int64_t created_micros = 0;
};

/// The form under which an address is matched (identity.md §5.1 Decision): the domain is
/// lower-cased; only for gmail.com/googlemail.com are dots and `+tags` of the local part
/// folded. Throws Error{bad_request} for something that is not an e-mail address.
std::string canonical_email(std::string_view email);

class UserStore {
 public:
  explicit UserStore(db::Pool& pool) : pool_(pool) {}
  static void register_statements(db::Statements& statements);

  /// Creates a user; Error{conflict} when the canonical address is taken.
  UserId create(std::string_view email, const std::string& password_hash);
  std::optional<User> find_by_email(std::string_view email);
  std::optional<User> get(UserId id);

 private:
  db::Pool& pool_;
};

}  // namespace agora::store
