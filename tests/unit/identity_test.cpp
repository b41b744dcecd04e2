#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <set>

#include "agora/auth/passwords.hpp"
#include "agora/auth/tokens.hpp"
#include "agora/core/error.hpp"
#include "agora/core/rate_limiter.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/profile_name.hpp"
#include "agora/store/user_store.hpp"

using agora::store::canonical_email;

TEST(CanonicalEmail, OnlyTheDomainIsFoldedForOrdinaryProviders) {
  EXPECT_EQ(canonical_email("A.B+x@Corp.Example"), "A.B+x@corp.example") << "dots and tags are distinct mailboxes";
  EXPECT_NE(canonical_email("a.b@corp.example"), canonical_email("ab@corp.example"));
  EXPECT_EQ(canonical_email("  someone@example.org "), "someone@example.org");
}

TEST(CanonicalEmail, GmailFoldsDotsTagsAndCase) {
  EXPECT_EQ(canonical_email("First.Last+forum@GoogleMail.com"), "firstlast@gmail.com");
  EXPECT_EQ(canonical_email("firstlast@gmail.com"), canonical_email("f.i.r.s.t.last+x@gmail.com"));
}

TEST(CanonicalEmail, RejectsNonAddresses) {
  for (const char* bad : {"", "nobody", "@example.org", "a@", "a@localhost", "a b@example.org", "a@exa mple.org",
                          "a@.example.org", "+@gmail.com"}) {
    EXPECT_THROW(canonical_email(bad), agora::Error) << bad;
  }
}

TEST(Tokens, FormatAndUniqueness) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = agora::auth::new_token();
    EXPECT_EQ(t.size(), 128u);
    EXPECT_TRUE(agora::auth::looks_like_token(t));
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_FALSE(agora::auth::looks_like_token("short"));
  EXPECT_FALSE(agora::auth::looks_like_token(std::string(127, 'a') + "!"));
}

TEST(Tokens, DigestIsSha256Hex) {
  EXPECT_EQ(agora::auth::token_digest("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Passwords, HashVerifyAndLimits) {
  agora::auth::PasswordHasher h(1, 8 * 1024);
  auto stored = h.hash("correct horse battery");
  EXPECT_EQ(stored.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(h.verify(stored, "correct horse battery"));
  EXPECT_FALSE(h.verify(stored, "correct horse battery!"));
  EXPECT_NE(h.hash("correct horse battery"), stored) << "salted";
  EXPECT_THROW(h.hash("short"), agora::Error);
  EXPECT_FALSE(h.verify(stored, std::string(5000, 'x')));
}

TEST(Permissions, SiteForGuestMemberAndOwner) {
  agora::store::Site site;
  site.id = agora::SiteId{2};
  site.owned_by = agora::ProfileId{10};
  auto guest = agora::perm::for_site(site, {}).to_json();
  EXPECT_EQ(guest["read"], true);
  EXPECT_EQ(guest["guest"], true);
  EXPECT_EQ(guest["update"], false);
  auto member = agora::perm::for_site(site, {agora::ProfileId{11}});
  EXPECT_FALSE(member.guest);
  EXPECT_FALSE(member.update);
  EXPECT_FALSE(member.site_owner);
  auto owner = agora::perm::for_site(site, {agora::ProfileId{10}});
  EXPECT_TRUE(owner.update && owner.del && owner.create && owner.site_owner && owner.moderator);
  EXPECT_EQ(owner.to_json().size(), 12u);
}

TEST(Permissions, ProfileOwnOthersAndSiteOwner) {
  agora::store::Site site;
  site.owned_by = agora::ProfileId{10};
  auto own = agora::perm::for_profile(site, {agora::ProfileId{11}}, agora::ProfileId{11});
  EXPECT_TRUE(own.update && own.owner);
  EXPECT_FALSE(own.del);
  auto other = agora::perm::for_profile(site, {agora::ProfileId{11}}, agora::ProfileId{12});
  EXPECT_TRUE(other.read);
  EXPECT_FALSE(other.update || other.owner);
  auto so = agora::perm::for_profile(site, {agora::ProfileId{10}}, agora::ProfileId{12});
  EXPECT_TRUE(so.update && so.del && so.site_owner && !so.owner);
}

TEST(RateLimiter, AllowsTheLimitPerWindowThenSaysWhenToComeBack) {
  agora::RateLimiter r;
  const auto t0 = agora::RateLimiter::Clock::now();
  const std::chrono::seconds window{60};
  for (int i = 0; i < 3; ++i) EXPECT_EQ(r.hit("ip:1", 3, window, t0), 0);
  EXPECT_EQ(r.hit("ip:1", 3, window, t0 + std::chrono::seconds(10)), 51);
  EXPECT_EQ(r.hit("ip:2", 3, window, t0), 0) << "keys are independent";
  EXPECT_EQ(r.hit("ip:1", 3, window, t0 + std::chrono::seconds(61)), 0) << "a new window";
  r.reset("ip:2");
}

TEST(RateLimiter, StaysBoundedUnderAFloodOfKeys) {
  agora::RateLimiter r(100);
  const auto t0 = agora::RateLimiter::Clock::now();
  for (int i = 0; i < 1000; ++i) EXPECT_EQ(r.hit("k" + std::to_string(i), 1, std::chrono::seconds(60), t0), 0);
  EXPECT_GT(r.hit("k999", 1, std::chrono::seconds(60), t0), 0) << "recent keys are kept";
}

TEST(ProfileName, Rules) {
  using agora::store::clean_profile_name;
  EXPECT_EQ(clean_profile_name("  Frodo "), "Frodo");
  EXPECT_EQ(clean_profile_name("<b>Sam</b>"), "Sam");
  EXPECT_EQ(clean_profile_name("Big Shout"), "BigShout") << "white space stripped";
  EXPECT_EQ(clean_profile_name("GANDALF"), "gandalf") << "no shouting";
  EXPECT_EQ(clean_profile_name("Éowyn"), "Éowyn");
  EXPECT_THROW(clean_profile_name("a"), agora::Error);
  EXPECT_THROW(clean_profile_name(std::string(26, 'a')), agora::Error);
  EXPECT_EQ(clean_profile_name(std::string(12, 'a') + "ééééééééééééé").size(), 12u + 26u) << "25 characters, not bytes";
  EXPECT_THROW(clean_profile_name("me@home"), agora::Error);
  EXPECT_THROW(clean_profile_name("a+b"), agora::Error);
  EXPECT_THROW(clean_profile_name("<script>x</script>"), agora::Error) << "one character left";
}

TEST(Permissions, BannedCallersOnlyRead) {
  agora::store::Site site;
  site.owned_by = agora::ProfileId{10};
  agora::perm::Caller banned{agora::ProfileId{11}, true};
  auto s = agora::perm::for_site(site, banned);
  EXPECT_TRUE(s.banned && s.read);
  EXPECT_FALSE(s.create || s.update || s.guest);
  auto own = agora::perm::for_profile(site, banned, agora::ProfileId{11});
  EXPECT_TRUE(own.banned && own.read);
  EXPECT_FALSE(own.update || own.owner);
  EXPECT_FALSE(agora::perm::for_profile(site, banned, agora::ProfileId{12}).read) << "only one's own profile";
}
