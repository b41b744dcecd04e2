#pragma once
// A server with two populated sites, shared by the role, permission and authorisation tests:
//   site 2 "demo":  Olga (profile 10, site owner), Mel (11), Zed (12), Bob (13, banned);
//                   microcosms 100 root "Forums" ─┬─ 101 "A" ── 102 "A1"
//                                                 └─ 103 "B"
//   site 3 "other": Oscar (20, site owner), Mel (21); root microcosm 200.
// Both roots carry the default roles Guests, Members, Banned (permissions.md §2.2).

#include <gtest/gtest.h>

#include "agora/auth/passwords.hpp"
#include "api_fixture.hpp"

namespace agora::test {

inline constexpr const char* community_password = "community test password";

class Community : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::PasswordHasher hasher(1, 8 * 1024);
    const auto h = hasher.hash(community_password);
    exec_sql(server.db().url(),
             "INSERT INTO users (user_id, email, canonical_email, password_hash) VALUES"
             " (1, 'olga@example.org', 'olga@example.org', '" + h + "'),"
             " (2, 'mel@example.org', 'mel@example.org', '" + h + "'),"
             " (3, 'zed@example.org', 'zed@example.org', '" + h + "'),"
             " (4, 'bob@example.org', 'bob@example.org', '" + h + "'),"
             " (5, 'oscar@example.org', 'oscar@example.org', '" + h + "');"
             "SELECT setval('users_user_id_seq', 5);"
             "INSERT INTO profiles (profile_id, site_id, user_id, profile_name) VALUES"
             " (10, 2, 1, 'Olga'), (11, 2, 2, 'Mel'), (12, 2, 3, 'Zed'), (13, 2, 4, 'Bob'),"
             " (20, 3, 5, 'Oscar'), (21, 3, 2, 'MelOther');"
             "INSERT INTO profile_options (profile_id) SELECT profile_id FROM profiles;"
             "SELECT setval('profiles_profile_id_seq', 1000);"
             "UPDATE sites SET owned_by = 10, created_by = 10 WHERE site_id = 2;"
             "UPDATE sites SET owned_by = 20, created_by = 20 WHERE site_id = 3;"
             "INSERT INTO microcosms (microcosm_id, site_id, parent_id, path, title, created_by, owned_by) VALUES"
             " (100, 2, NULL, '{100}', 'Forums', 10, 10),"
             " (101, 2, 100, '{100,101}', 'A', 10, 10),"
             " (102, 2, 101, '{100,101,102}', 'A1', 10, 10),"
             " (103, 2, 100, '{100,103}', 'B', 10, 10),"
             " (200, 3, NULL, '{200}', 'Forums', 20, 20);"
             "SELECT setval('microcosms_microcosm_id_seq', 1000);"
             "INSERT INTO roles (site_id, microcosm_id, title, include_guests, include_users, is_banned_role,"
             " can_read, can_create, can_close_own, can_read_others, created_by)"
             " SELECT m.site_id, m.microcosm_id, r.title, r.g, r.u, r.b, r.rd, r.cr, r.co, r.ro, m.owned_by"
             " FROM microcosms m CROSS JOIN (VALUES ('Guests', true, false, false, true, false, false, false),"
             " ('Members', false, true, false, true, true, true, true),"
             " ('Banned', false, false, true, false, false, false, false)) AS r (title, g, u, b, rd, cr, co, ro)"
             " WHERE m.parent_id IS NULL;"
             "INSERT INTO bans (site_id, user_id, display_reason) VALUES (2, 4, 'spam');");
  }

  unsigned short port() { return server.port(); }

  std::string login(const std::string& email, const std::string& host = "demo.localhost") {
    return password_login(port(), email, community_password, host);
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& host = "demo.localhost") {
    return call(port(), token, method, target, body, host);
  }

  /// The permission object for the caller.
  nlohmann::json permission(const std::string& token, const std::string& query,
                            const std::string& host = "demo.localhost") {
    auto r = as(token, "GET", "/api/v1/permission?" + query, "", host);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }

  /// The id at the end of a 302's Location (a failure, and 0, for anything else).
  std::int64_t made(const HttpResponse& r) {
    EXPECT_EQ(r.status, 302) << r.body;
    auto loc = r.header("location");
    return loc.empty() ? 0 : std::stoll(loc.substr(loc.rfind('/') + 1));
  }
  /// POSTs `body` to `route` and answers the id of what it made.
  std::int64_t make(const std::string& token, const char* route, const nlohmann::json& body) {
    return made(as(token, "POST", route, body.dump()));
  }
  /// One number from the database.
  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }

  /// Role id by title on a microcosm, from the database.
  std::int64_t role_id(std::int64_t microcosm, const std::string& title) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    return tx.exec_params1("SELECT role_id FROM roles WHERE microcosm_id = $1 AND title = $2", microcosm, title)[0]
        .as<std::int64_t>();
  }

  RunningServer server;
};

}  // namespace agora::test
