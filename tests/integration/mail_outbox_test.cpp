// The outbox and its sender against the real SMTP sink: nothing is lost while the SMTP
// server is unreachable, and delivery resumes when it is back.
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "agora/mail/sender.hpp"
#include "agora/store/outbox_store.hpp"
#include "support/mail_sink.hpp"
#include "support/stores.hpp"

using namespace agora;

namespace {

int count(const std::string& url, const std::string& where) {
  pqxx::connection c(url);
  pqxx::work tx(c);
  return tx.exec1("SELECT COUNT(*) FROM outbox WHERE " + where)[0].as<int>();
}

void enqueue(const std::string& url, const std::string& to) {
  pqxx::connection c(url);
  pqxx::work tx(c);
  tx.exec_params("INSERT INTO outbox (site_id, to_address, subject, body) VALUES (1, $1, 'Hello',"
                 " 'Hello from the outbox test')", to);
  tx.commit();
}

TEST(MailOutbox, SmtpDownKeepsTheMessageAndRetriesWithBackoff) {
  test::TestDatabase db;
  test::Stores s(db);
  const auto to = test::unique_address("outbox");
  enqueue(db.url(), to);
  store::OutboxStore outbox(s.pool);
  // Nothing listens on port 9 of loopback.
  auto config = *s.holder.get();
  config.mail.smtp_url = "smtp://127.0.0.1:9";
  config.mail.timeout_ms = 500;
  s.holder.set(config);
  mail::Sender sender(outbox, s.holder, s.metrics, test::test_logger());
  EXPECT_EQ(sender.drain_once(), 0);
  EXPECT_EQ(count(db.url(), "sent IS NULL AND NOT failed AND attempts = 1 AND last_error <> ''"
                            " AND next_attempt > (now() AT TIME ZONE 'UTC') + interval '20 seconds'"), 1);
  EXPECT_EQ(s.metrics.mail_failed.load(), 1u);
  // Not due yet: a second round sends nothing and does not count an attempt.
  config.mail.smtp_url = test::smtp_url();
  s.holder.set(config);
  EXPECT_EQ(sender.drain_once(), 0);
  // Due again, with the server back: delivered.
  test::exec_sql(db.url(), "UPDATE outbox SET next_attempt = now() AT TIME ZONE 'UTC'");
  EXPECT_EQ(sender.drain_once(), 1);
  EXPECT_EQ(count(db.url(), "sent IS NOT NULL AND attempts = 2"), 1);
  auto mail = test::wait_for_mail(to);
  ASSERT_TRUE(mail);
  EXPECT_NE(mail->find("Hello from the outbox test"), std::string::npos);
}

TEST(MailOutbox, GivesUpAfterMaxAttemptsAndKeepsTheRow) {
  test::TestDatabase db;
  test::Stores s(db);
  enqueue(db.url(), test::unique_address("giveup"));
  store::OutboxStore outbox(s.pool);
  auto config = *s.holder.get();
  config.mail.smtp_url = "smtp://127.0.0.1:9";
  config.mail.timeout_ms = 300;
  config.mail.max_attempts = 2;
  s.holder.set(config);
  mail::Sender sender(outbox, s.holder, s.metrics, test::test_logger());
  sender.drain_once();
  test::exec_sql(db.url(), "UPDATE outbox SET next_attempt = now() AT TIME ZONE 'UTC'");
  sender.drain_once();
  EXPECT_EQ(count(db.url(), "failed AND attempts = 2 AND sent IS NULL"), 1);
  test::exec_sql(db.url(), "UPDATE outbox SET next_attempt = now() AT TIME ZONE 'UTC'");
  sender.drain_once();
  EXPECT_EQ(count(db.url(), "attempts = 2"), 1);  // a failed message is never claimed again
}

TEST(MailOutbox, TwoSendersNeverSendOneMessageTwice) {
  test::TestDatabase db;
  test::Stores s(db);
  const auto to = test::unique_address("once");
  for (int i = 0; i < 30; ++i) enqueue(db.url(), to);
  store::OutboxStore outbox(s.pool);
  mail::Sender a(outbox, s.holder, s.metrics, test::test_logger());
  mail::Sender b(outbox, s.holder, s.metrics, test::test_logger());
  int sent_a = 0, sent_b = 0;
  std::thread ta([&] { sent_a = a.drain_once(); });
  std::thread tb([&] { sent_b = b.drain_once(); });
  ta.join();
  tb.join();
  EXPECT_EQ(sent_a + sent_b, 30);
  EXPECT_EQ(count(db.url(), "sent IS NOT NULL AND attempts = 1"), 30);
}

}  // namespace
