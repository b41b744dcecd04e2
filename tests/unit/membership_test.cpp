// Role inheritance and criteria (permissions.md §2.3, §3.1 with its Decisions).
#include <gtest/gtest.h>

#include "agora/perm/membership.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/site.hpp"

using namespace agora;
using namespace agora::perm;

namespace {

constexpr std::int64_t day = 86'400LL * 1'000'000;
constexpr std::int64_t now = 1'000 * day;

store::Role role(std::int64_t id, std::int64_t microcosm, const std::string& title, bool moderator = false,
                 bool banned = false) {
  store::Role r;
  r.id = RoleId{id};
  r.microcosm_id = MicrocosmId{microcosm};
  r.f.title = title;
  r.f.moderator = moderator;
  r.f.banned = banned;
  return r;
}

store::Criterion criterion(std::int64_t group, std::string column, std::string key, std::string type,
                           std::string predicate, std::string value) {
  return {CriterionId{}, group, std::move(column), std::move(key), std::move(type), std::move(predicate),
          std::move(value)};
}

std::vector<std::string> titles(const std::vector<const store::Role*>& roles) {
  std::vector<std::string> out;
  for (const auto* r : roles) out.push_back(r->f.title);
  return out;
}

MemberFacts mel() {
  MemberFacts f;
  f.id = ProfileId{11};
  f.name = "Mel";
  f.email = "mel@example.org";
  f.item_count = 3;
  f.comment_count = 40;
  f.created_micros = now - 30 * day;
  return f;
}

TEST(ApplicableRoles, SpecialRolesAccumulateAndTheNearestRegularRolesWin) {
  // The spec's example: R has Guests/Members/Banned; A defines Staff and Mods; A1 nothing.
  std::map<MicrocosmId, std::vector<store::Role>> defined;
  defined[MicrocosmId{1}] = {role(1, 1, "Guests"), role(2, 1, "Members"), role(3, 1, "Banned", false, true)};
  defined[MicrocosmId{2}] = {role(4, 2, "Staff"), role(5, 2, "Mods", true)};
  defined[MicrocosmId{3}] = {};
  auto a1 = applicable_roles({MicrocosmId{1}, MicrocosmId{2}, MicrocosmId{3}}, defined);
  auto sorted = titles(a1);
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{"Banned", "Mods", "Staff"}));
  auto b = titles(applicable_roles({MicrocosmId{1}, MicrocosmId{4}}, defined));
  std::sort(b.begin(), b.end());
  EXPECT_EQ(b, (std::vector<std::string>{"Banned", "Guests", "Members"}));
}

TEST(ApplicableRoles, AMicrocosmWithOnlySpecialRolesKeepsInheritedRegularOnes) {
  std::map<MicrocosmId, std::vector<store::Role>> defined;
  defined[MicrocosmId{1}] = {role(1, 1, "Members")};
  defined[MicrocosmId{2}] = {role(2, 2, "Jail", false, true)};
  auto t = titles(applicable_roles({MicrocosmId{1}, MicrocosmId{2}}, defined));
  std::sort(t.begin(), t.end());
  EXPECT_EQ(t, (std::vector<std::string>{"Jail", "Members"}));
}

TEST(Criteria, NeNegatesOnColumnsAndAttributes) {
  auto f = mel();
  f.attributes.push_back({"level", "number", "", 3, false});
  EXPECT_FALSE(criterion_matches(criterion(0, "profileName", "", "string", "ne", "MEL"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "profileName", "", "string", "ne", "Zed"), f, now));
  EXPECT_FALSE(criterion_matches(criterion(0, "id", "", "number", "ne", "11"), f, now));
  EXPECT_FALSE(criterion_matches(criterion(0, "", "level", "number", "ne", "3"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "", "level", "number", "ne", "4"), f, now));
}

TEST(Criteria, ColumnsCompareAsTheSpecSays) {
  auto f = mel();
  EXPECT_TRUE(criterion_matches(criterion(0, "profileName", "", "string", "eq", "mEL"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "email", "", "string", "substr", "EXAMPLE"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "email", "", "string", "nsubstr", "gmail"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "commentCount", "", "number", "ge", "40"), f, now));
  EXPECT_FALSE(criterion_matches(criterion(0, "commentCount", "", "number", "gt", "40"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "itemCount", "", "number", "lt", "4"), f, now));
  // created: whole days since the profile was made.
  EXPECT_TRUE(criterion_matches(criterion(0, "created", "", "number", "eq", "30"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "created", "", "number", "gt", "7"), f, now));
  EXPECT_FALSE(criterion_matches(criterion(0, "shoeSize", "", "number", "eq", "7"), f, now));
}

TEST(Criteria, IsBannedIsEvaluated) {
  auto f = mel();
  EXPECT_FALSE(criterion_matches(criterion(0, "isBanned", "", "boolean", "eq", "true"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "isBanned", "", "boolean", "ne", "true"), f, now));
  f.banned = true;
  EXPECT_TRUE(criterion_matches(criterion(0, "isBanned", "", "boolean", "eq", "true"), f, now));
}

TEST(Criteria, StringAttributesAreExactOnEqAndCaseBlindOnSubstr) {
  auto f = mel();
  f.attributes.push_back({"team", "string", "Blue", 0, false});
  EXPECT_TRUE(criterion_matches(criterion(0, "", "team", "string", "eq", "Blue"), f, now));
  EXPECT_FALSE(criterion_matches(criterion(0, "", "team", "string", "eq", "blue"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "", "team", "string", "substr", "LU"), f, now));
  // An absent attribute matches only negative predicates.
  EXPECT_FALSE(criterion_matches(criterion(0, "", "club", "string", "eq", "x"), f, now));
  EXPECT_TRUE(criterion_matches(criterion(0, "", "club", "string", "ne", "x"), f, now));
}

TEST(Criteria, GroupsAreAndWithinAndOrAcrossWhateverTheStorageOrder) {
  auto f = mel();
  // Interleaved: group 1 = {name eq Mel, comments gt 100} (false), group 2 = {items eq 3} (true).
  std::vector<store::Criterion> cs = {
      criterion(1, "profileName", "", "string", "eq", "Mel"), criterion(2, "itemCount", "", "number", "eq", "3"),
      criterion(1, "commentCount", "", "number", "gt", "100")};
  EXPECT_TRUE(criteria_match(cs, f, now));
  cs[1].value = "4";
  EXPECT_FALSE(criteria_match(cs, f, now));
  EXPECT_FALSE(criteria_match({}, f, now));
}

TEST(Membership, GuestsStayMembersWhenCriteriaArePresent) {
  auto r = role(1, 1, "Visitors");
  r.f.include_guests = true;
  r.criteria.push_back(criterion(0, "commentCount", "", "number", "gt", "1000"));
  EXPECT_TRUE(is_member(r, nullptr, now));
  auto f = mel();
  EXPECT_FALSE(is_member(r, &f, now));
  f.explicit_roles.push_back(RoleId{1});
  EXPECT_TRUE(is_member(r, &f, now));
}

TEST(Membership, GrantIsTheUnionOfTheRolesTheCallerIsIn) {
  auto guests = role(1, 1, "Guests");
  guests.f.include_guests = true;
  guests.f.read = true;
  auto members = role(2, 1, "Members");
  members.f.include_users = true;
  members.f.create = true;
  members.f.read = true;
  auto f = mel();
  auto g = grant_of({&guests, &members}, &f, now);
  EXPECT_TRUE(g.create);
  EXPECT_FALSE(g.moderator);
  auto anon = grant_of({&guests, &members}, nullptr, now);
  EXPECT_TRUE(anon.read);
  EXPECT_FALSE(anon.create);
}

TEST(Rules, ItemOwnersEditButDoNotDeleteByOwnership) {
  store::Site site;
  site.owned_by = ProfileId{1};
  Caller owner_of_item{ProfileId{11}, false, UserId{2}, nullptr};
  RoleGrant g;
  auto p = in_microcosm(InMicrocosm::item, site, owner_of_item, true, false, g);
  EXPECT_TRUE(p.update);
  EXPECT_TRUE(p.read);
  EXPECT_FALSE(p.del);
  EXPECT_TRUE(p.owner);
  EXPECT_FALSE(p.moderator);
  // The microcosm's owner is its superuser.
  auto m = in_microcosm(InMicrocosm::microcosm, site, owner_of_item, true, true, g);
  EXPECT_TRUE(m.del);
  EXPECT_TRUE(m.moderator);
  EXPECT_FALSE(m.site_owner);
  // A guest is never a superuser, whatever ids say.
  Caller guest;
  auto gp = in_microcosm(InMicrocosm::microcosm, site, guest, false, true, g);
  EXPECT_FALSE(gp.moderator);
  EXPECT_TRUE(gp.guest);
}

}  // namespace
