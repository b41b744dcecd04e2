// Events and attendees over HTTP (content-events-polls-huddles.md §E and its Decisions).
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <sstream>
#include <thread>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class Events : public Community {
 protected:
  std::int64_t created(const HttpResponse& r) {
    EXPECT_EQ(r.status, 302) << r.body;
    auto loc = r.header("location");
    return loc.empty() ? 0 : std::stoll(loc.substr(loc.rfind('/') + 1));
  }
  std::int64_t event(const std::string& token, nlohmann::json body) {
    if (!body.contains("microcosmId")) body["microcosmId"] = 101;
    if (!body.contains("title")) body["title"] = "Ride out";
    return created(as(token, "POST", "/api/v1/events", body.dump()));
  }
  nlohmann::json get(const std::string& token, std::int64_t id) {
    auto r = as(token, "GET", "/api/v1/events/" + std::to_string(id));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }
  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
  std::string path(std::int64_t id, const std::string& tail = "") { return "/api/v1/events/" + std::to_string(id) + tail; }
  HttpResponse rsvp(const std::string& token, std::int64_t id, nlohmann::json entries) {
    return as(token, "PUT", path(id, "/attendees"), entries.dump());
  }
  /// The whentz of an event at `when` in `tz`.
  std::string whentz(const std::string& token, const std::string& when, const std::string& tz) {
    auto id = event(token, {{"title", "At " + when + " in " + tz}, {"when", when}, {"tz", tz}});
    auto d = get(token, id);
    EXPECT_EQ(d["when"], when);
    return d.value("whentz", "");
  }
};

TEST_F(Events, AMemberCreatesAnEventWhoseTimeKeepsTheWallClockAndDropsTheOffset) {
  auto mel = login("mel@example.org");
  const auto items_before = scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101");
  auto id = event(mel, {{"title", "Summer ride"}, {"when", "2026-06-01T19:30:00+02:00"}, {"tz", "Europe/London"},
                        {"duration", 180}, {"where", "The Park"}, {"lat", 51.5}, {"lon", -0.12}, {"rsvpLimit", 10},
                        {"status", "cancelled"}, {"rsvpAttend", 99}});
  auto d = get("", id);
  EXPECT_EQ(d["title"], "Summer ride");
  EXPECT_EQ(d["microcosmId"], 101);
  EXPECT_EQ(d["when"], "2026-06-01T19:30:00Z");    // the wall-clock time as written, offset discarded
  EXPECT_EQ(d["whentz"], "2026-06-01T18:30:00Z");  // 19:30 BST is 18:30 UTC
  EXPECT_EQ(d["tz"], "Europe/London");
  EXPECT_EQ(d["duration"], 180);
  EXPECT_EQ(d["where"], "The Park");
  EXPECT_DOUBLE_EQ(d["lat"].get<double>(), 51.5);
  EXPECT_EQ(d["status"], "upcoming");  // derived; a client status is ignored
  EXPECT_EQ(d["rsvpLimit"], 10);
  EXPECT_EQ(d["rsvpSpaces"], 10);
  EXPECT_FALSE(d.contains("rsvpAttend"));
  EXPECT_FALSE(d.contains("north"));
  EXPECT_EQ(d["comments"]["total"], 0);
  EXPECT_EQ(d["comments"]["type"], "/api/v1/comments");
  EXPECT_EQ(d["breadcrumb"].size(), 1u);
  // Decision: attending is always present, false for guests.
  EXPECT_EQ(d["meta"]["flags"]["attending"], false);
  EXPECT_EQ(d["meta"]["flags"]["visible"], true);
  EXPECT_TRUE(d["meta"]["permissions"]["read"]);
  EXPECT_EQ(d["meta"]["createdBy"]["id"], 11);
  EXPECT_EQ(d["meta"]["links"][0]["href"], path(id));
  EXPECT_EQ(d["meta"]["links"][1]["title"], "A");
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), items_before + 1);

  // No time: proposed, no when/whentz; an empty tz is Europe/Belfast; a negative duration is 60.
  auto p = get(mel, event(mel, {{"title", "Some day"}, {"when", nullptr}, {"tz", ""}, {"duration", -5}}));
  EXPECT_EQ(p["status"], "proposed");
  EXPECT_FALSE(p.contains("when"));
  EXPECT_FALSE(p.contains("whentz"));
  EXPECT_EQ(p["tz"], "Europe/Belfast");
  EXPECT_EQ(p["duration"], 60);
  EXPECT_EQ(p["rsvpLimit"], 0);
  EXPECT_FALSE(p.contains("rsvpSpaces"));
  EXPECT_EQ(p["meta"]["flags"]["attending"], false);
  auto zero = get(mel, event(mel, {{"title", "No length"}, {"duration", 0}}));
  EXPECT_FALSE(zero.contains("duration"));
}

TEST_F(Events, WhentzFollowsBothDaylightSavingChangesInLondonAndNewYork) {
  auto mel = login("mel@example.org");
  // Europe/London 2026: BST from 29 March to 25 October.
  EXPECT_EQ(whentz(mel, "2026-03-28T12:00:00Z", "Europe/London"), "2026-03-28T12:00:00Z");
  EXPECT_EQ(whentz(mel, "2026-03-29T12:00:00Z", "Europe/London"), "2026-03-29T11:00:00Z");
  EXPECT_EQ(whentz(mel, "2026-10-24T12:00:00Z", "Europe/London"), "2026-10-24T11:00:00Z");
  EXPECT_EQ(whentz(mel, "2026-10-25T12:00:00Z", "Europe/London"), "2026-10-25T12:00:00Z");
  // America/New_York 2026: EDT from 8 March to 1 November.
  EXPECT_EQ(whentz(mel, "2026-03-07T12:00:00Z", "America/New_York"), "2026-03-07T17:00:00Z");
  EXPECT_EQ(whentz(mel, "2026-03-08T12:00:00Z", "America/New_York"), "2026-03-08T16:00:00Z");
  EXPECT_EQ(whentz(mel, "2026-10-31T12:00:00Z", "America/New_York"), "2026-10-31T16:00:00Z");
  EXPECT_EQ(whentz(mel, "2026-11-01T12:00:00Z", "America/New_York"), "2026-11-01T17:00:00Z");
  // Across midnight: 20:00 EDT is 00:00 UTC the next day.
  EXPECT_EQ(whentz(mel, "2026-07-04T20:00:00Z", "America/New_York"), "2026-07-05T00:00:00Z");
}

TEST_F(Events, InvalidFieldsAre400NamingTheFieldAndWriteNothing) {
  auto mel = login("mel@example.org");
  const std::string big(1024 * 1024, 'x');
  const std::vector<std::pair<nlohmann::json, std::string>> cases = {
      {{{"when", "2026-06-01T19:30:00"}}, "when"},       // no zone designator
      {{{"when", "2026-06-01"}}, "when"},
      {{{"when", "tomorrow"}}, "when"},
      {{{"when", 5}}, "when"},
      {{{"tz", "Mars/Olympus_Mons"}}, "tz"},
      {{{"tz", "../../etc/passwd"}}, "tz"},
      {{{"tz", "UTC+3"}}, "tz"},
      {{{"tz", 7}}, "tz"},
      {{{"lat", 90.5}}, "lat"},
      {{{"lat", "north"}}, "lat"},
      {{{"lon", -180.5}}, "lon"},
      {{{"north", 91}}, "north"},
      {{{"south", -91}}, "south"},
      {{{"east", 181}}, "east"},
      {{{"west", -181}}, "west"},
      {{{"rsvpLimit", -1}}, "rsvpLimit"},
      {{{"rsvpLimit", "ten"}}, "rsvpLimit"},
      {{{"rsvpLimit", 4294967296LL}}, "rsvpLimit"},
      {{{"duration", "long"}}, "duration"},
      {{{"title", std::string(151, 't')}}, "title"},
      {{{"title", ""}}, "title"},
      {{{"title", 5}}, "title"},
      {{{"where", std::string(151, 'w')}}, "where"},
      {{{"microcosmId", "x"}}, "microcosmId"},
      {{{"microcosmId", 0}}, "microcosmId"},
  };
  for (const auto& [fields, name] : cases) {
    nlohmann::json body = {{"microcosmId", 101}, {"title", "Bad"}};
    for (auto it = fields.begin(); it != fields.end(); ++it) body[it.key()] = it.value();
    auto r = as(mel, "POST", "/api/v1/events", body.dump());
    EXPECT_EQ(r.status, 400) << body.dump() << " " << r.body;
    EXPECT_NE(r.body.find(name), std::string::npos) << name << ": " << r.body;
    EXPECT_EQ(r.json()["status"], 400);
  }
  // Exactly 150 characters is allowed (Decisions: title and where ≤ 150).
  EXPECT_GT(event(mel, {{"title", std::string(150, 'a')}, {"where", std::string(150, 'b')}}), 0);
  auto huge = as(mel, "POST", "/api/v1/events", nlohmann::json{{"microcosmId", 101}, {"title", big}}.dump());
  EXPECT_GE(huge.status, 400);
  EXPECT_LT(huge.status, 500);
  EXPECT_EQ(huge.json()["status"], huge.status);
  // Unknown microcosm, another site's microcosm: 404.
  EXPECT_EQ(as(mel, "POST", "/api/v1/events", R"({"microcosmId": 999, "title": "x"})").status, 404);
  EXPECT_EQ(as(mel, "POST", "/api/v1/events", R"({"microcosmId": 200, "title": "x"})").status, 404);
  // Not JSON, not an object.
  EXPECT_EQ(as(mel, "POST", "/api/v1/events", "{").status, 400);
  EXPECT_EQ(as(mel, "POST", "/api/v1/events", "[]").status, 400);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM events"), 1);
}

TEST_F(Events, CreatePermissionIsCheckedAfterValidationAndTheMicrocosmMustAllowEvents) {
  // Decision: validate first, so a guest sending garbage learns what is wrong.
  EXPECT_EQ(as("", "POST", "/api/v1/events", R"({"microcosmId": 101, "title": "x", "tz": "Nowhere"})").status, 400);
  EXPECT_EQ(as("", "POST", "/api/v1/events", R"({"microcosmId": 101, "title": "x"})").status, 403);
  auto mel = login("mel@example.org");
  exec_sql(server.db().url(), "UPDATE microcosms SET item_types = '{6}' WHERE microcosm_id = 103");
  auto r = as(mel, "POST", "/api/v1/events", R"({"microcosmId": 103, "title": "Not here"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("microcosmId"), std::string::npos);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM events"), 0);
}

TEST_F(Events, ADuplicateWithinFiveMinutesRedirectsToTheFirstWithoutSideEffects) {
  auto mel = login("mel@example.org");
  nlohmann::json body = {{"title", "Twice"}, {"when", "2026-06-01T19:30:00Z"}, {"where", "Pub"}, {"rsvpLimit", 5}};
  auto first = event(mel, body);
  const auto items = scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101");
  EXPECT_EQ(event(mel, body), first);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM events"), 1);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), items);
  // Another place is another event.
  body["where"] = "Park";
  EXPECT_NE(event(mel, body), first);
}

TEST_F(Events, PutMergesRequiresAReasonAndMovesTheItemCount) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto olga = login("olga@example.org");
  auto id = event(mel, {{"title", "Plan"}, {"rsvpLimit", 3}, {"where", "Cafe"}});
  auto put = [&](const std::string& token, nlohmann::json body) { return as(token, "PUT", path(id), body.dump()); };
  EXPECT_EQ(put(mel, {{"title", "New"}}).status, 400);  // no edit reason
  EXPECT_EQ(put(zed, {{"title", "Mine"}, {"meta", {{"editReason", "x"}}}}).status, 403);
  EXPECT_EQ(put(mel, {{"tz", "Not/AZone"}, {"meta", {{"editReason", "x"}}}}).status, 400);
  auto r = put(mel, {{"when", "2026-12-24T18:00:00-05:00"}, {"tz", "America/New_York"}, {"meta", {{"editReason", "Set a date"}}}});
  EXPECT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.header("location"), path(id));
  auto d = get(mel, id);
  EXPECT_EQ(d["title"], "Plan");  // kept
  EXPECT_EQ(d["where"], "Cafe");  // kept
  EXPECT_EQ(d["status"], "upcoming");
  EXPECT_EQ(d["when"], "2026-12-24T18:00:00Z");
  EXPECT_EQ(d["whentz"], "2026-12-24T23:00:00Z");
  EXPECT_EQ(d["meta"]["editReason"], "Set a date");
  EXPECT_EQ(d["meta"]["editedBy"]["id"], 11);
  // Moving carries the item count.
  const auto a = scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101");
  const auto b = scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 103");
  EXPECT_EQ(put(olga, {{"microcosmId", 103}, {"meta", {{"editReason", "Move"}}}}).status, 302);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), a - 1);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 103"), b + 1);
  EXPECT_EQ(put(olga, {{"microcosmId", 200}, {"meta", {{"editReason", "Away"}}}}).status, 400);
  // A lowered limit can leave negative spaces.
  rsvp(mel, id, {{{"profileId", 11}, {"rsvp", "yes"}}});
  rsvp(zed, id, {{{"profileId", 12}, {"rsvp", "yes"}}});
  EXPECT_EQ(put(mel, {{"rsvpLimit", 1}, {"meta", {{"editReason", "Smaller"}}}}).status, 302);
  d = get(mel, id);
  EXPECT_EQ(d["rsvpAttend"], 2);
  EXPECT_EQ(d["rsvpSpaces"], -1);
  // Nulls mean absent.
  EXPECT_EQ(put(mel, {{"lat", nullptr}, {"rsvpLimit", nullptr}, {"meta", {{"editReason", "Nulls"}}}}).status, 302);
  EXPECT_EQ(get(mel, id)["rsvpLimit"], 1);
}

TEST_F(Events, PatchFlagsAndDeleteHideTheEventAndAdjustTheItemCount) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto olga = login("olga@example.org");
  auto id = event(mel, {{"title", "Flags"}});
  const auto items = scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101");
  auto patch = [&](const std::string& token, const std::string& flag, bool v) {
    return as(token, "PATCH", path(id),
              nlohmann::json::array({{{"op", "replace"}, {"path", "/meta/flags/" + flag}, {"value", v}}}).dump());
  };
  EXPECT_EQ(patch(zed, "sticky", true).status, 403);
  EXPECT_EQ(patch(mel, "sticky", true).status, 403);  // not a moderator
  EXPECT_EQ(patch(olga, "sticky", true).status, 200);
  EXPECT_EQ(get(mel, id)["meta"]["flags"]["sticky"], true);
  EXPECT_EQ(get(mel, id)["meta"]["editReason"], "Set sticky to true");
  EXPECT_EQ(as(olga, "PATCH", path(id), "[]").status, 400);
  EXPECT_EQ(patch(olga, "deleted", true).status, 200);
  EXPECT_EQ(as(mel, "GET", path(id)).status, 404);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), items - 1);
  EXPECT_EQ(patch(olga, "deleted", false).status, 200);  // un-delete by id
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), items);
  EXPECT_EQ(as(zed, "DELETE", path(id)).status, 403);
  EXPECT_EQ(as(mel, "DELETE", path(id)).status, 403);  // members have no delete bit by default
  EXPECT_EQ(as(olga, "DELETE", path(id)).status, 200);
  EXPECT_EQ(as(olga, "DELETE", path(id)).status, 200);  // again: 200
  EXPECT_EQ(as("", "GET", path(id)).status, 404);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), items - 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM events WHERE is_deleted"), 1);
}

TEST_F(Events, TheSiteWideListShowsReadableEventsAndFiltersAttending) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto a = event(mel, {{"title", "First"}});
  auto b = event(mel, {{"title", "Second"}, {"microcosmId", 103}});
  EXPECT_EQ(rsvp(zed, b, {{{"profileId", 12}, {"rsvp", "yes"}}}).status, 200);
  auto all = as("", "GET", "/api/v1/events");
  ASSERT_EQ(all.status, 200) << all.body;
  auto d = all.json()["data"];
  EXPECT_EQ(d["events"]["total"], 2);
  EXPECT_EQ(d["events"]["type"], "/api/v1/events");
  EXPECT_EQ(d["events"]["items"][0]["id"], b);  // newest activity first
  EXPECT_FALSE(d["events"]["items"][0]["meta"]["flags"].contains("attending"));  // guests: not signed in
  EXPECT_TRUE(d["meta"]["permissions"].contains("read"));
  auto mine = as(zed, "GET", "/api/v1/events?isAttending=true").json()["data"]["events"];
  ASSERT_EQ(mine["total"], 1);
  EXPECT_EQ(mine["items"][0]["id"], b);
  EXPECT_EQ(mine["items"][0]["meta"]["flags"]["attending"], true);
  EXPECT_EQ(mine["items"][0]["rsvpAttend"], 1);
  auto zeds = as(zed, "GET", "/api/v1/events?isAttending=F").json()["data"]["events"];
  EXPECT_EQ(zeds["total"], 2);
  EXPECT_EQ(zeds["items"][1]["meta"]["flags"]["attending"], false);
  EXPECT_EQ(as(zed, "GET", "/api/v1/events?isAttending=yes").status, 400);
  EXPECT_EQ(as("", "GET", "/api/v1/events?isAttending=1").json()["data"]["events"]["total"], 0);
  // Hidden microcosms hide their events.
  auto olga = login("olga@example.org");
  as(olga, "PATCH", "/api/v1/microcosms/103", R"([{"op":"replace","path":"/meta/flags/deleted","value":true}])");
  EXPECT_EQ(as("", "GET", "/api/v1/events").json()["data"]["events"]["total"], 1);
  EXPECT_EQ(as("", "GET", path(b)).status, 404);
  EXPECT_EQ(as("", "GET", path(a)).status, 200);
}

TEST_F(Events, AnEventOfAnotherSiteIsNotFound) {
  auto oscar = login("oscar@example.org", "other.localhost");
  auto id = created(as(oscar, "POST", "/api/v1/events", R"({"microcosmId": 200, "title": "Theirs"})", "other.localhost"));
  auto olga = login("olga@example.org");
  EXPECT_EQ(as(olga, "GET", path(id)).status, 404);
  EXPECT_EQ(as(olga, "PUT", path(id), R"({"title":"x","meta":{"editReason":"y"}})").status, 404);
  EXPECT_EQ(as(olga, "PATCH", path(id), R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 404);
  EXPECT_EQ(as(olga, "DELETE", path(id)).status, 404);
  EXPECT_EQ(as(olga, "GET", path(id, "/attendees")).status, 404);
  EXPECT_EQ(rsvp(olga, id, {{{"profileId", 10}, {"rsvp", "yes"}}}).status, 404);
  EXPECT_EQ(as(olga, "GET", path(id, "/attendeescsv")).status, 404);
  EXPECT_EQ(as(olga, "GET", "/api/v1/events/999999").status, 404);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM attendees"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM events WHERE title = 'Theirs' AND NOT is_sticky AND NOT is_deleted"), 1);
}

TEST_F(Events, OptionsAdvertiseTheMethodsOfEachRoute) {
  auto mel = login("mel@example.org");
  auto id = event(mel, {});
  auto methods = [&](const std::string& target) {
    auto r = request(port(), "OPTIONS", target, {{"Host", "demo.localhost"}});
    std::set<std::string> out;
    std::stringstream s(r.header("allow"));
    for (std::string m; std::getline(s, m, ',');) out.insert(m);
    return out;
  };
  using S = std::set<std::string>;
  EXPECT_EQ(methods("/api/v1/events"), (S{"OPTIONS", "POST", "HEAD", "GET"}));
  EXPECT_EQ(methods(path(id)), (S{"OPTIONS", "HEAD", "GET", "PUT", "PATCH", "DELETE"}));
  EXPECT_EQ(methods(path(id, "/attendees")), (S{"OPTIONS", "PUT", "HEAD", "GET"}));
  EXPECT_EQ(methods(path(id, "/attendees/11")), (S{"OPTIONS", "HEAD", "GET", "PUT", "DELETE"}));
  EXPECT_EQ(methods(path(id, "/attendeescsv")), (S{"OPTIONS", "HEAD", "GET"}));
}


TEST_F(Events, MembersAnswerForThemselvesAndOrganisersInvite) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto olga = login("olga@example.org");
  auto id = event(mel, {{"title", "Party"}, {"rsvpLimit", 2}});
  // Step 1–2: an array, not empty.
  EXPECT_EQ(as(zed, "PUT", path(id, "/attendees"), R"({"profileId": 12, "rsvp": "yes"})").status, 400);
  EXPECT_EQ(rsvp(zed, id, nlohmann::json::array()).status, 400);
  EXPECT_EQ(as(zed, "PUT", path(id, "/attendees"), "[1, 2]").status, 400);
  // Step 3: guests lack create: 403 with errorCode 10.
  auto guest = rsvp("", id, {{{"profileId", 12}, {"rsvp", "yes"}}});
  EXPECT_EQ(guest.status, 403);
  EXPECT_EQ(guest.json()["data"]["errorCode"], 10) << guest.body;
  // Step 4b: a member answers only for themselves.
  EXPECT_EQ(rsvp(zed, id, {{{"profileId", 11}, {"rsvp", "maybe"}}}).status, 403);
  // Step 4a: the organiser invites anyone, but says yes only for themselves.
  EXPECT_EQ(rsvp(mel, id, {{{"profileId", 12}, {"rsvp", "yes"}}}).status, 403);
  EXPECT_EQ(rsvp(mel, id, {{{"profileId", 12}, {"rsvp", ""}}}).status, 200);  // empty = invited
  // Step 5: profiles of this site only; step 6: positive; step 7: a known state.
  EXPECT_EQ(rsvp(mel, id, {{{"profileId", 20}, {"rsvp", "invited"}}}).status, 404);
  EXPECT_EQ(rsvp(mel, id, {{{"profileId", 999}, {"rsvp", "invited"}}}).status, 404);
  EXPECT_EQ(rsvp(mel, id, {{{"profileId", -1}, {"rsvp", "invited"}}}).status, 400);
  EXPECT_EQ(rsvp(mel, id, {{{"profileId", "12"}, {"rsvp", "invited"}}}).status, 400);
  EXPECT_EQ(rsvp(zed, id, {{{"profileId", 12}, {"rsvp", "perhaps"}}}).status, 400);
  EXPECT_EQ(rsvp(zed, id, {{{"profileId", 12}, {"rsvp", 1}}}).status, 400);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM attendees"), 1);

  EXPECT_EQ(rsvp(zed, id, {{{"profileId", 12}, {"rsvp", "yes"}}}).status, 200);
  EXPECT_EQ(rsvp(mel, id, {{{"profileId", 11}, {"rsvp", "yes"}}}).status, 200);
  auto d = get(zed, id);
  EXPECT_EQ(d["rsvpAttend"], 2);
  EXPECT_FALSE(d.contains("rsvpSpaces"));  // 0 left
  EXPECT_EQ(d["meta"]["flags"]["attending"], true);
  // Step 8: full; Decision: an existing yes may be re-sent.
  auto full = rsvp(olga, id, {{{"profileId", 10}, {"rsvp", "yes"}}});
  EXPECT_EQ(full.status, 400);
  EXPECT_NE(full.body.find("full"), std::string::npos);
  EXPECT_EQ(rsvp(zed, id, {{{"profileId", 12}, {"rsvp", "yes"}}}).status, 200);
  // Olga (site owner) invites Zed... already there; invites herself as maybe.
  EXPECT_EQ(rsvp(olga, id, {{{"profileId", 10}, {"rsvp", "maybe"}}}).status, 200);

  // The list: by state then rsvpdOn; the collection's type names the real event.
  auto list = as("", "GET", path(id, "/attendees"));
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = list.json()["data"]["attendees"]["items"];
  EXPECT_EQ(list.json()["data"]["attendees"]["type"], path(id, "/attendees"));
  ASSERT_EQ(items.size(), 3u);
  // yes first, earliest rsvpdOn first (Zed's re-sent yes set his date again)
  EXPECT_EQ(items[0]["profileId"], 11);
  EXPECT_EQ(items[0]["rsvp"], "yes");
  EXPECT_EQ(items[1]["profileId"], 12);
  EXPECT_EQ(items[1]["meta"]["createdBy"]["id"], 11);  // invited by Mel
  EXPECT_EQ(items[1]["meta"]["editedBy"]["id"], 12);
  EXPECT_EQ(items[2]["rsvp"], "maybe");
  EXPECT_FALSE(items[0].contains("flags"));
  EXPECT_FALSE(items[0]["meta"].contains("flags"));
  EXPECT_EQ(items[1]["meta"]["links"][0]["href"], path(id, "/attendees/12"));
  auto attending = as("", "GET", path(id, "/attendees?status=attending")).json()["data"]["attendees"];
  EXPECT_EQ(attending["total"], 2);

  // Single attendee routes.
  auto one = as("", "GET", path(id, "/attendees/12"));
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["data"]["rsvp"], "yes");
  EXPECT_TRUE(one.json()["data"]["meta"].contains("permissions"));
  EXPECT_EQ(as("", "GET", path(id, "/attendees/13")).status, 404);
  // PUT by id: update on the event; Decision: the path's profile wins, a different body one is 400.
  EXPECT_EQ(as(zed, "PUT", path(id, "/attendees/12"), R"({"profileId": 12, "rsvp": "no"})").status, 403);
  EXPECT_EQ(as(mel, "PUT", path(id, "/attendees/12"), R"({"profileId": 11, "rsvp": "no"})").status, 400);
  auto put = as(mel, "PUT", path(id, "/attendees/12"), R"({"profileId": 12, "rsvp": "no"})");
  EXPECT_EQ(put.status, 302) << put.body;
  EXPECT_EQ(put.header("location"), path(id, "/attendees/12"));
  EXPECT_EQ(get(mel, id)["rsvpAttend"], 1);
  EXPECT_EQ(get(mel, id)["rsvpSpaces"], 1);
  // DELETE: not the attendee; moderators and the site owner.
  EXPECT_EQ(as(zed, "DELETE", path(id, "/attendees/12")).status, 403);
  EXPECT_EQ(as(olga, "DELETE", path(id, "/attendees/11")).status, 200);
  EXPECT_EQ(as(olga, "DELETE", path(id, "/attendees/11")).status, 200);  // no row: 200
  d = get(mel, id);
  EXPECT_FALSE(d.contains("rsvpAttend"));
  EXPECT_EQ(d["rsvpSpaces"], 2);
  EXPECT_EQ(scalar("SELECT rsvp_attending FROM events WHERE event_id = " + std::to_string(id)), 0);
}

TEST_F(Events, ABatchCannotOverfillAnEvent) {
  auto olga = login("olga@example.org");
  auto id = event(olga, {{"title", "Small"}, {"rsvpLimit", 1}});
  // Entries are counted one by one: Olga's yes fills it, so nothing of the batch is written.
  auto r = rsvp(olga, id, {{{"profileId", 10}, {"rsvp", "yes"}}, {{"profileId", 11}, {"rsvp", "invited"}}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(rsvp(olga, id, {{{"profileId", 10}, {"rsvp", "no"}}, {{"profileId", 10}, {"rsvp", "yes"}}}).status, 200);
  EXPECT_EQ(scalar("SELECT rsvp_attending FROM events WHERE event_id = " + std::to_string(id)), 1);
}

TEST_F(Events, FiftySimultaneousYesAnswersFillTenPlacesExactly) {
  // 50 members, each with a token of their own (written directly: the login limiter allows
  // ten logins per address).
  std::string sql = "INSERT INTO users (user_id, email, canonical_email) SELECT 100 + n, 'crowd' || n || '@example.org',"
                    " 'crowd' || n || '@example.org' FROM generate_series(0, 49) n;"
                    "INSERT INTO profiles (profile_id, site_id, user_id, profile_name)"
                    " SELECT 300 + n, 2, 100 + n, 'Crowd' || n FROM generate_series(0, 49) n;"
                    "INSERT INTO profile_options (profile_id) SELECT 300 + n FROM generate_series(0, 49) n;"
                    "INSERT INTO access_tokens (token_sha256, user_id, site_id, expires)"
                    " SELECT encode(sha256(convert_to(repeat('c', 120) || lpad(n::text, 8, '0'), 'UTF8')), 'hex'),"
                    " 100 + n, 2, (now() AT TIME ZONE 'UTC') + interval '1 hour' FROM generate_series(0, 49) n;";
  exec_sql(server.db().url(), sql);
  auto token = [](int n) {
    auto num = std::to_string(n);
    return std::string(120, 'c') + std::string(8 - num.size(), '0') + num;
  };
  auto mel = login("mel@example.org");
  auto id = event(mel, {{"title", "Ten places"}, {"rsvpLimit", 10}});
  std::atomic<int> ok{0}, full{0}, other{0};
  std::vector<std::thread> crowd;
  for (int n = 0; n < 50; ++n) {
    crowd.emplace_back([&, n] {
      auto r = rsvp(token(n), id, {{{"profileId", 300 + n}, {"rsvp", "yes"}}});
      if (r.status == 200) {
        ++ok;
      } else if (r.status == 400 && r.body.find("full") != std::string::npos) {
        ++full;
      } else {
        ++other;
        ADD_FAILURE() << r.status << " " << r.body;
      }
    });
  }
  for (auto& t : crowd) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(full.load(), 40);
  EXPECT_EQ(other.load(), 0);
  const auto e = std::to_string(id);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM attendees WHERE state_id = 1 AND event_id = " + e), 10);
  EXPECT_EQ(scalar("SELECT rsvp_attending FROM events WHERE event_id = " + e),
            scalar("SELECT COUNT(*) FROM attendees WHERE state_id = 1 AND event_id = " + e));
  EXPECT_EQ(scalar("SELECT rsvp_spaces FROM events WHERE event_id = " + e), 0);
  auto d = get("", id);
  EXPECT_EQ(d["rsvpAttend"], 10);
  EXPECT_FALSE(d.contains("rsvpSpaces"));
}

TEST_F(Events, TheAttendeesCsvIsEscapedNeutralisedAndForOrganisersOnly) {
  exec_sql(server.db().url(),
           "UPDATE profiles SET profile_name = '=HYPERLINK(\"http://evil.example\",\"x\")' WHERE profile_id = 12;"
           "UPDATE profiles SET profile_name = 'Mel, \"the\" rider' WHERE profile_id = 11;"
           "UPDATE users SET email = '+mel@example.org' WHERE user_id = 2;");
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto olga = login("olga@example.org");
  auto id = event(olga, {{"title", "Export"}});
  ASSERT_EQ(rsvp(mel, id, {{{"profileId", 11}, {"rsvp", "yes"}}}).status, 200);
  ASSERT_EQ(rsvp(zed, id, {{{"profileId", 12}, {"rsvp", "yes"}}}).status, 200);
  ASSERT_EQ(rsvp(olga, id, {{{"profileId", 10}, {"rsvp", "maybe"}}}).status, 200);
  // Read and (owner or moderator or site owner): attendees and guests are refused, as JSON.
  auto refused = as(zed, "GET", path(id, "/attendeescsv"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.json()["status"], 403);
  EXPECT_EQ(as("", "GET", path(id, "/attendeescsv")).status, 403);
  auto r = as(olga, "GET", path(id, "/attendeescsv"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type").rfind("text/csv", 0), 0u) << r.header("content-type");
  EXPECT_EQ(r.header("content-disposition"), "attachment; filename=event" + std::to_string(id) + ".csv");
  EXPECT_EQ(r.header("cache-control"), "no-cache, max-age=0");
  EXPECT_NE(r.header("vary").find("Authorization"), std::string::npos);
  // Yes attendees only, by name; CRLF; quotes doubled; formulas neutralised with a '.
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < r.body.size();) {
    auto end = r.body.find("\r\n", at);
    ASSERT_NE(end, std::string::npos) << r.body;
    lines.push_back(r.body.substr(at, end - at));
    at = end + 2;
  }
  ASSERT_EQ(lines.size(), 3u) << r.body;
  EXPECT_EQ(lines[0], "name,id,email,date");
  const std::string zed_line = R"csv("'=HYPERLINK(""http://evil.example"",""x"")",12,"zed@example.org",")csv";
  const std::string mel_line = R"csv("Mel, ""the"" rider",11,"'+mel@example.org",")csv";
  EXPECT_EQ(lines[1].rfind(zed_line, 0), 0u) << lines[1];
  EXPECT_EQ(lines[2].rfind(mel_line, 0), 0u) << lines[2];
  EXPECT_EQ(lines[2].back(), '"');
  EXPECT_EQ(lines[2].substr(lines[2].size() - 2), "Z\"");  // RFC 3339, no fraction
  EXPECT_EQ(lines[2].find('.', mel_line.size()), std::string::npos);
  auto head = as(olga, "HEAD", path(id, "/attendeescsv"));
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  // The author may export too.
  auto mine = event(zed, {{"title", "Zed's"}});
  EXPECT_EQ(as(zed, "GET", path(mine, "/attendeescsv")).status, 200);
}

// A forum's item count takes events and polls (content-microcosms.md), but the site-wide
// conversation list counts conversations only.
TEST_F(Events, EventsAndPollsAreItemsButNotConversations) {
  auto mel = login("mel@example.org");
  exec_sql(server.db().url(), "UPDATE microcosms SET item_types = '{2,6,7,9}' WHERE microcosm_id = 101");
  const auto conversations = as(mel, "GET", "/api/v1/conversations").json()["data"]["conversations"]["total"];
  const auto items = scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101");
  event(mel, {{"title", "Counted as an item"}});
  auto poll = as(mel, "POST", "/api/v1/polls",
                 R"({"microcosmId":101,"title":"Also an item","question":"Which?","choices":[{"choice":"a"}]})");
  ASSERT_EQ(poll.status, 302) << poll.body;
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), items + 2);
  EXPECT_EQ(as(mel, "GET", "/api/v1/conversations").json()["data"]["conversations"]["total"], conversations);
  auto made = as(mel, "POST", "/api/v1/conversations", R"({"microcosmId":101,"title":"A real conversation"})");
  ASSERT_EQ(made.status, 302) << made.body;
  EXPECT_EQ(as(mel, "GET", "/api/v1/conversations").json()["data"]["conversations"]["total"],
            conversations.get<std::int64_t>() + 1);
  EXPECT_EQ(scalar("SELECT conversation_count FROM microcosms WHERE microcosm_id = 101"),
            scalar("SELECT COUNT(*) FROM conversations WHERE microcosm_id = 101 AND NOT is_deleted AND NOT is_moderated"));
}

TEST_F(Events, EventsAreListedInTheirMicrocosmBesideConversationsAndPollsNever) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  exec_sql(server.db().url(), "UPDATE microcosms SET item_types = '{2,6,7,9}' WHERE microcosm_id = 102");
  auto make = [&](const char* route, const std::string& body) {
    auto r = as(mel, "POST", route, body);
    EXPECT_EQ(r.status, 302) << r.body;
    auto loc = r.header("location");
    return std::stoll(loc.substr(loc.rfind('/') + 1));
  };
  const auto conversation = make("/api/v1/conversations", R"({"microcosmId":102,"title":"First talk"})");
  const auto ride = make("/api/v1/events", R"({"microcosmId":102,"title":"Ride"})");
  const auto walk = make("/api/v1/events", R"({"microcosmId":102,"title":"Walk"})");
  const auto vote = make("/api/v1/polls", R"({"microcosmId":102,"title":"Vote","question":"Which?","choices":[{"choice":"a"}]})");
  ASSERT_GT(vote, 0);
  const auto hidden = make("/api/v1/events", R"({"microcosmId":102,"title":"Deleted ride"})");
  ASSERT_EQ(as(olga, "DELETE", path(hidden)).status, 200);
  // Sticky first, then newest activity: a comment brings the conversation back to the top.
  ASSERT_EQ(as(olga, "PATCH", path(ride), R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 200);
  ASSERT_EQ(as(zed, "POST", "/api/v1/comments",
               nlohmann::json{{"itemType", "conversation"}, {"itemId", conversation}, {"markdown", "Up"}}.dump())
                .status,
            302);
  auto listing = [&](const std::string& token, const std::string& query = "") {
    auto r = as(token, "GET", "/api/v1/microcosms/102" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"]["items"];
  };
  // Decision (microcosms M.4): polls are never listed, for anyone.
  auto items = listing(zed);
  EXPECT_EQ(items["total"], 3);
  ASSERT_EQ(items["items"].size(), 3u);
  EXPECT_EQ(items["items"][0]["itemType"], "event");
  EXPECT_EQ(items["items"][0]["item"]["id"], ride);
  EXPECT_EQ(items["items"][0]["item"]["title"], "Ride");
  EXPECT_EQ(items["items"][1]["itemType"], "conversation");
  EXPECT_EQ(items["items"][1]["item"]["id"], conversation);
  EXPECT_EQ(items["items"][2]["itemType"], "event");
  EXPECT_EQ(items["items"][2]["item"]["id"], walk);
  EXPECT_TRUE(items["items"][0]["item"]["meta"]["flags"]["unread"]);
  EXPECT_TRUE(items["items"][2]["item"]["meta"]["flags"]["unread"]);
  // Reading an event and ignoring one are reflected.
  ASSERT_EQ(as(zed, "GET", path(ride)).status, 200);
  ASSERT_EQ(as(zed, "PUT", "/api/v1/ignored", nlohmann::json{{"itemType", "event"}, {"itemId", walk}}.dump()).status, 200);
  items = listing(zed);
  EXPECT_EQ(items["total"], 2);
  EXPECT_FALSE(items["items"][0]["item"]["meta"]["flags"]["unread"]);
  for (const auto& i : items["items"]) EXPECT_NE(i["item"]["id"], walk);
  // Guests see the three, unread never, and no poll.
  items = listing("");
  EXPECT_EQ(items["total"], 3);
  EXPECT_FALSE(items["items"][0]["item"]["meta"]["flags"]["unread"]);
  for (const auto& i : items["items"]) EXPECT_NE(i["itemType"], "poll");
}

}  // namespace
