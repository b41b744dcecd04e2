// E-mailed sign-in codes over a real SMTP server (the issue's e-mail code provider).
#include <gtest/gtest.h>

#include <regex>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

using CodeLogin = Community;

std::string code_in(const std::string& message) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(message, m, std::regex(R"(\b(\d{8})\b)"))) << message;
  return m.size() > 1 ? m[1].str() : "";
}

HttpResponse ask(unsigned short port, const std::string& email, const std::string& host = "demo.localhost") {
  return request(port, "POST", "/api/v1/auth/code", {{"Host", host}, {"Content-Type", "application/json"}},
                 R"({"email":")" + email + "\"}");
}

HttpResponse redeem(unsigned short port, const std::string& email, const std::string& code,
                    const std::string& host = "demo.localhost") {
  return request(port, "POST", "/api/v1/auth", {{"Host", host}, {"Content-Type", "application/json"}},
                 R"({"email":")" + email + R"(","code":")" + code + "\"}");
}

TEST_F(CodeLogin, ACodeArrivesByMailAndSignsANewUserIn) {
  const auto email = unique_address("newcomer");
  auto r = ask(port(), email);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json()["data"].is_null());
  auto mail = wait_for_mail(email);
  ASSERT_TRUE(mail) << "no mail reached the SMTP sink";
  EXPECT_NE(mail->find("Subject: Your sign-in code for Demo"), std::string::npos) << *mail;
  const auto code = code_in(*mail);
  auto login = redeem(port(), email, code);
  ASSERT_EQ(login.status, 200) << login.body;
  const auto token = login.json()["data"].get<std::string>();
  EXPECT_EQ(token.size(), 128u);
  auto me = as(token, "GET", "/api/v1/whoami");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["data"]["email"], email);
  // A code works once.
  EXPECT_EQ(redeem(port(), email, code).status, 401);
  // Delivered mail keeps no copy of the code (the sender records delivery just after the sink has it).
  int forgotten = 0;
  for (int i = 0; i < 100 && forgotten == 0; ++i) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    forgotten = tx.exec_params1("SELECT COUNT(*) FROM outbox WHERE to_address = $1 AND sent IS NOT NULL AND body = ''",
                                email)[0].as<int>();
    if (!forgotten) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(forgotten, 1);
  // Only the code's own site: the token and the code are bound to demo.
  EXPECT_EQ(as(token, "GET", "/api/v1/whoami", "", "other.localhost").status, 401);
}

TEST_F(CodeLogin, AnExistingAccountSignsInWithoutItsPassword) {
  const auto email = unique_address("existing");
  exec_sql(server.db().url(), "INSERT INTO users (user_id, email, canonical_email) VALUES (77, '" + email + "', '" +
                                  email + "')");
  ASSERT_EQ(ask(port(), email).status, 200);
  auto mail = wait_for_mail(email);
  ASSERT_TRUE(mail);
  auto login = redeem(port(), email, code_in(*mail));
  ASSERT_EQ(login.status, 200) << login.body;
  auto me = as(login.json()["data"].get<std::string>(), "GET", "/api/v1/whoami").json()["data"];
  EXPECT_EQ(me["userId"], 77);
  // The answer to a code request says nothing about whether the address has an account.
  auto known = ask(port(), "olga@example.org");
  auto unknown = ask(port(), unique_address("nobody"));
  EXPECT_EQ(known.status, unknown.status);
  EXPECT_EQ(known.body, unknown.body);
}

TEST_F(CodeLogin, WrongGuessesKillTheCode) {
  const auto email = unique_address("guesser");
  ASSERT_EQ(ask(port(), email).status, 200);
  auto mail = wait_for_mail(email);
  ASSERT_TRUE(mail);
  const auto code = code_in(*mail);
  const auto wrong = code == "00000000" ? std::string("00000001") : std::string("00000000");
  for (int i = 0; i < 5; ++i) {
    auto r = redeem(port(), email, wrong);
    EXPECT_EQ(r.status, 401) << r.body;
  }
  // The fifth miss used the code up: the right code no longer works.
  EXPECT_EQ(redeem(port(), email, code).status, 401);
  // Malformed codes are refused without touching anything.
  EXPECT_EQ(redeem(port(), email, "12ab").status, 401);
}

/// The outbox id the message carries in its Message-ID (<{id}.{time}@agora>).
long mail_id(const std::string& message) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(message, m, std::regex(R"(Message-ID: <(\d+)\.)")));
  return m.size() > 1 ? std::stol(m[1].str()) : 0;
}

TEST_F(CodeLogin, OnlyTheNewestCodeCounts) {
  const auto email = unique_address("twice");
  ASSERT_EQ(ask(port(), email).status, 200);
  ASSERT_TRUE(wait_for_mail(email));
  ASSERT_EQ(ask(port(), email).status, 200);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (mail_count(email) < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto all = all_mail(email);
  ASSERT_EQ(all.size(), 2u);
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return mail_id(a) < mail_id(b); });
  EXPECT_EQ(redeem(port(), email, code_in(all[0])).status, 401);
  EXPECT_EQ(redeem(port(), email, code_in(all[1])).status, 200);
}

TEST_F(CodeLogin, BadRequestsAndRateLimits) {
  EXPECT_EQ(ask(port(), "not an address").status, 400);
  EXPECT_EQ(request(port(), "POST", "/api/v1/auth/code", {{"Host", "demo.localhost"}, {"Content-Type", "application/json"}},
                    R"({"email":7})").status, 400);
  EXPECT_EQ(request(port(), "POST", "/api/v1/auth/code", {{"Host", "demo.localhost"}, {"Content-Type", "application/json"}},
                    "{").status, 400);
  const auto email = unique_address("flood");
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    auto r = ask(port(), email);
    if (r.status == 429) {
      ++limited;
      EXPECT_FALSE(r.header("retry-after").empty());
    }
  }
  EXPECT_GT(limited, 0);
  // Stored codes are argon2id hashes, and the outbox forgets a message's body once sent.
  pqxx::connection c(server.db().url());
  pqxx::work tx(c);
  auto row = tx.exec_params1("SELECT code_hash FROM login_codes WHERE email = $1 LIMIT 1", email);
  EXPECT_EQ(row[0].as<std::string>().rfind("$argon2id$", 0), 0u);
}

TEST_F(CodeLogin, ListedSpammersGetNoNewAccountButExistingUsersAreUnaffected) {
  auto config = *server.app().config();
  config.auth.spam_check_url = "http://localhost:" + std::to_string(port()) + "/test/sfs";
  server.app().reload(config);
  const auto spammer = unique_address("spammer");
  ASSERT_EQ(ask(port(), spammer).status, 200);  // asking reveals nothing
  auto mail = wait_for_mail(spammer);
  ASSERT_TRUE(mail);
  auto r = redeem(port(), spammer, code_in(*mail));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json()["error"][0], "Spammer");
  pqxx::connection c(server.db().url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec_params1("SELECT COUNT(*) FROM users WHERE email = $1", spammer)[0].as<int>(), 0);
  tx.commit();
  const auto fine = unique_address("person");
  ASSERT_EQ(ask(port(), fine).status, 200);
  auto ok = wait_for_mail(fine);
  ASSERT_TRUE(ok);
  EXPECT_EQ(redeem(port(), fine, code_in(*ok)).status, 200);
  // The check failing (nothing listening) lets people in.
  config.auth.spam_check_url = "http://127.0.0.1:9/";
  server.app().reload(config);
  const auto later = unique_address("spammer-offline");
  ASSERT_EQ(ask(port(), later).status, 200);
  auto m = wait_for_mail(later);
  ASSERT_TRUE(m);
  EXPECT_EQ(redeem(port(), later, code_in(*m)).status, 200);
}

}  // namespace
