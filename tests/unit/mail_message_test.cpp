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
