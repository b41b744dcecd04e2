// Outgoing message text (mail/message): no header injection, encoded subjects, CRLF lines.
#include <gtest/gtest.h>

#include "agora/mail/message.hpp"
#include "agora/mail/sender.hpp"

using namespace agora::mail;

TEST(MailMessage, HeadersCannotBeInjectedThroughSubjectOrAddresses) {
  auto text = format_message("Agora <no@x.org>", "a@b.org\r\nBcc: evil@x.org", "Hi\r\nBcc: evil@x.org", "body",
                             0, "1.2@agora");
  EXPECT_EQ(text.find("\r\nBcc:"), std::string::npos) << text;
  EXPECT_NE(text.find("Subject: Hi  Bcc: evil@x.org\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
}

TEST(MailMessage, NonAsciiSubjectsAreEncodedAndBodyLinesEndInCrlf) {
  auto text = format_message("no@x.org", "a@b.org", "Café", "line one\nline two", 0, "1@agora");
  EXPECT_NE(text.find("Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\r\n\r\nline one\r\nline two\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
}

TEST(MailMessage, AddressOfTakesTheAngleBracketPart) {
  EXPECT_EQ(address_of("Agora <noreply@example.org>"), "noreply@example.org");
  EXPECT_EQ(address_of("plain@example.org"), "plain@example.org");
}

TEST(MailSender, BackoffDoublesFromThirtySecondsUpToAnHour) {
  EXPECT_EQ(Sender::backoff_seconds(1), 30);
  EXPECT_EQ(Sender::backoff_seconds(2), 60);
  EXPECT_EQ(Sender::backoff_seconds(5), 480);
  EXPECT_EQ(Sender::backoff_seconds(8), 3600);
  EXPECT_EQ(Sender::backoff_seconds(50), 3600);
}

#include "agora/auth/spam_check.hpp"

TEST(SpamCheck, ListedRecentConfidentAddressesAreSpammers) {
  constexpr std::int64_t now = 1'800'000'000;
  auto answer = [](double lastseen, double confidence) {
    return R"({"success":1,"email":{"appears":1,"lastseen":)" + std::to_string(static_cast<long long>(lastseen)) +
           R"(,"confidence":)" + std::to_string(confidence) + "}}";
  };
  EXPECT_TRUE(agora::auth::spam_answer_says_spammer(answer(now - 86'400, 80), now, 0));
  EXPECT_FALSE(agora::auth::spam_answer_says_spammer(answer(now - 400 * 86'400, 80), now, 0));  // too old
  EXPECT_FALSE(agora::auth::spam_answer_says_spammer(answer(now - 86'400, 0), now, 0));         // no confidence
  EXPECT_FALSE(agora::auth::spam_answer_says_spammer(answer(now - 86'400, 40), now, 50));       // below threshold
  EXPECT_FALSE(agora::auth::spam_answer_says_spammer(R"({"success":0})", now, 0));
  EXPECT_FALSE(agora::auth::spam_answer_says_spammer("not json", now, 0));  // fails open
}
