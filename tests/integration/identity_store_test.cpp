#include <pqxx/pqxx>
#include <gtest/gtest.h>

#include "agora/auth/tokens.hpp"
#include "agora/core/error.hpp"
#include "support/stores.hpp"

using namespace agora;

using Identity = test::Stores;

TEST(UserStore, CreateFindAndConflict) {
  test::TestDatabase db;
  Identity f(db);
  auto id = f.users.create("First.Last@gmail.com", "");
  auto found = f.users.find_by_email("firstlast+x@googlemail.com");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->email, "First.Last@gmail.com");
  EXPECT_TRUE(found->password_hash.empty());
  EXPECT_THROW(f.users.create("firstlast@gmail.com", ""), Error);
  EXPECT_FALSE(f.users.find_by_email("other@example.org"));
}

TEST(ProfileStore, GetOrCreateIsIdempotentAndSiteScoped) {
  test::TestDatabase db;
  Identity f(db);
  auto a = f.sites.create({"alpha", "Alpha", "", ""});
  auto b = f.sites.create({"beta", "Beta", "", ""});
  auto user = f.users.create("u@example.org", "");
  auto p1 = f.profiles.get_or_create(a, user);
  auto p2 = f.profiles.get_or_create(a, user);
  EXPECT_EQ(p1.id, p2.id);
  EXPECT_EQ(p1.name, "user" + std::to_string(user.value() + 5830));
  EXPECT_TRUE(p1.visible);
  auto on_b = f.profiles.get_or_create(b, user);
  EXPECT_NE(on_b.id, p1.id) << "one profile per site";
  EXPECT_FALSE(f.profiles.get(b, p1.id)) << "a profile of site a does not exist on site b";
  EXPECT_TRUE(f.profiles.get(a, p1.id));
}

TEST(ProfileStore, TakenSuggestedNameGetsASuffix) {
  test::TestDatabase db;
  Identity f(db);
  auto site = f.sites.create({"alpha", "Alpha", "", ""});
  auto squatter = f.users.create("s@example.org", "");
  auto user = f.users.create("u@example.org", "");
  test::exec_sql(db.url(), "INSERT INTO profiles (site_id, user_id, profile_name) VALUES (" +
                               std::to_string(site.value()) + ", " + std::to_string(squatter.value()) + ", 'USER" +
                               std::to_string(user.value() + 5830) + "')");
  auto p = f.profiles.get_or_create(site, user);
  EXPECT_EQ(p.name, "user" + std::to_string(user.value() + 5830) + "_1");
}

TEST(Tokens, IssueAuthenticateRevokeAndSiteBinding) {
  test::TestDatabase db;
  Identity f(db);
  auto a = f.sites.create({"alpha", "Alpha", "", ""});
  auto b = f.sites.create({"beta", "Beta", "", ""});
  auto user = f.users.create("u@example.org", "");
  auto token = f.tokens.issue(a, user);
  auto grant = f.tokens.authenticate(token, a);
  ASSERT_TRUE(grant);
  EXPECT_EQ(grant->user, user);
  EXPECT_FALSE(f.tokens.authenticate(token, b)) << "bound to the issuing site";
  auto altered = token;
  altered[0] = altered[0] == 'x' ? 'y' : 'x';  // one character different
  EXPECT_FALSE(f.tokens.authenticate(altered, a));

  // Only the digest is stored.
  pqxx::connection c(db.url());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec("SELECT token_sha256 FROM access_tokens")[0][0].as<std::string>(), auth::token_digest(token));

  EXPECT_TRUE(f.tokens.revoke(token));
  EXPECT_FALSE(f.tokens.authenticate(token, a)) << "revoked, cache flushed";
  EXPECT_FALSE(f.tokens.revoke(token));
}

TEST(Tokens, ExpiredTokensAreRefused) {
  test::TestDatabase db;
  Identity f(db);
  auto a = f.sites.create({"alpha", "Alpha", "", ""});
  auto user = f.users.create("u@example.org", "");
  auto token = f.tokens.issue(a, user);
  test::exec_sql(db.url(), "UPDATE access_tokens SET expires = (now() AT TIME ZONE 'UTC') - interval '1 second'");
  EXPECT_FALSE(f.tokens.authenticate(token, a));
}
