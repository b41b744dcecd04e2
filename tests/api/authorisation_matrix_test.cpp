// The authorisation matrix: every route so far × {guest, member, banned member, moderator,
// owner of another site, site owner} × {own object, someone else's, another site's}, from
// the one table below. Every answer must be the expected status; no unexpected 2xx.
//
// Actors on demo: guest; Mel (11, member); Bob (13, banned from demo); Zed (12, moderator of
// microcosm 101 through a moderator role); Oscar (owner of site 3, signed in on demo as a
// plain member); Olga (10, demo's owner). Another site's objects: Fay (profile 22, user 6),
// only on site 3, and microcosm 200. Each row runs for the actors in that order, the site
// owner last, so that her successful writes never change what an earlier actor saw.
#include <gtest/gtest.h>

#include <array>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

enum Actor { guest, member, banned, moderator, other_owner, owner, actor_count };
constexpr std::array<const char*, actor_count> actor_names = {"guest", "member", "banned member", "moderator",
                                                              "owner of another site", "site owner"};

struct Row {
  const char* method;
  const char* path;  // placeholders: {self} {other} {foreign} {self_user} {other_user} {foreign_user}
                     // {root_role} {mods_role} {n}
  const char* body;
  std::array<int, actor_count> expect;  // guest, member, banned, moderator, other owner, owner
  const char* host = "demo.localhost";
};

// clang-format off
const Row rows[] = {
    // Site and identity
    {"GET", "/api/v1/site", "", {200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/whoami", "", {403, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/permission?itemType=microcosm&itemId=101", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/profiles", "", {200, 200, 403, 200, 200, 200}},
    {"POST", "/api/v1/profiles", R"({"profileName":"Twin{n}"})", {401, 400, 403, 400, 400, 400}},
    {"POST", "/api/v1/profiles", R"({"profileName":"Twin{n}","siteId":3})", {401, 400, 403, 400, 400, 400}},
    {"GET", "/api/v1/profiles/{self}", "", {200, 200, 200, 200, 200, 200}},
    {"GET", "/api/v1/profiles/{other}", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/profiles/{foreign}", "", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/profiles/{self}", R"({"profileName":"Self{n}","id":{other},"siteId":3})", {401, 302, 403, 302, 302, 302}},
    {"PUT", "/api/v1/profiles/{other}", R"({"profileName":"Other{n}"})", {401, 403, 403, 403, 403, 302}},
    {"PUT", "/api/v1/profiles/{foreign}", R"({"profileName":"Foreign{n}"})", {401, 404, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/profiles/{self}", R"([{"op":"replace","path":"/member","value":true}])", {401, 403, 403, 403, 403, 200}},
    {"PATCH", "/api/v1/profiles/{other}", R"([{"op":"replace","path":"/member","value":true}])", {401, 403, 403, 403, 403, 200}},
    {"PATCH", "/api/v1/profiles/{foreign}", R"([{"op":"replace","path":"/member","value":true}])", {401, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/profiles/{self}", "", {401, 501, 403, 501, 501, 501}},
    {"GET", "/api/v1/profiles/options", "", {401, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/profiles/options", R"({"sendEmail":false,"profileId":{other}})", {401, 302, 403, 302, 302, 302}},
    {"PUT", "/api/v1/profiles/{other}/ban", R"({"displayReason":"test"})", {401, 403, 403, 403, 403, 200}},
    {"DELETE", "/api/v1/profiles/{other}/ban", "", {401, 403, 403, 403, 403, 200}},
    {"PUT", "/api/v1/profiles/{foreign}/ban", R"({"displayReason":"test"})", {401, 403, 403, 403, 403, 404}},
    {"GET", "/api/v1/users/{self_user}", "", {401, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/users/{other_user}", "", {401, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/users/{foreign_user}", "", {401, 403, 403, 403, 403, 403}},
    {"PUT", "/api/v1/users/{self_user}", R"({"email":"x@example.org"})", {401, 501, 403, 501, 501, 501}},
    {"POST", "/api/v1/users", R"([{"email":"made{n}@example.org"}])", {403, 403, 403, 403, 403, 200}},
    {"POST", "/api/v1/users/batch", R"([{"email":"batch{n}@example.org","isMember":true}])", {401, 403, 403, 403, 403, 200}},
    // Reader state
    {"GET", "/api/v1/ignored", "", {401, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":{other}})", {401, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":{foreign}})", {401, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/ignored", R"({"itemType":"microcosm","itemId":200})", {401, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/ignored", R"({"itemType":"profile","itemId":{other}})", {401, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/profiles/read", R"({"itemType":"site"})", {401, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/profiles/read", R"({"itemType":"microcosm","itemId":200})", {401, 404, 403, 404, 404, 404}},
    // Microcosms
    {"GET", "/api/v1/microcosms", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/microcosms/101", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/microcosms/200", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/microcosms/tree", "", {200, 200, 403, 200, 200, 200}},
    {"POST", "/api/v1/microcosms", R"({"title":"M{n}","description":"d","parentId":101})", {403, 403, 403, 403, 403, 302}},
    {"POST", "/api/v1/microcosms", R"({"title":"M{n}","description":"d","parentId":200})", {403, 403, 403, 403, 403, 400}},
    {"PUT", "/api/v1/microcosms/101", R"({"title":"A{n}","meta":{"editReason":"r"}})", {403, 403, 403, 302, 403, 302}},
    {"PUT", "/api/v1/microcosms/103", R"({"title":"B{n}","meta":{"editReason":"r"}})", {403, 403, 403, 403, 403, 302}},
    {"PUT", "/api/v1/microcosms/200", R"({"title":"F{n}","meta":{"editReason":"r"}})", {404, 404, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/microcosms/101", R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])", {403, 403, 403, 200, 403, 200}},
    {"PATCH", "/api/v1/microcosms/200", R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/microcosms/200", "", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/microcosms/103", "", {403, 403, 403, 403, 403, 200}},
    // Conversations and comments (content routes answer guests' writes with 403)
    {"GET", "/api/v1/conversations", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/conversations/500", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/conversations/510", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/permission?itemType=conversation&itemId=500", "", {200, 200, 403, 200, 200, 200}},
    {"POST", "/api/v1/conversations", R"({"microcosmId":101,"title":"T{n}"})", {403, 302, 403, 302, 302, 302}},
    {"POST", "/api/v1/conversations", R"({"microcosmId":200,"title":"T{n}"})", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/conversations/500", R"({"title":"T{n}","meta":{"editReason":"r"}})", {403, 302, 403, 302, 403, 302}},
    {"PUT", "/api/v1/conversations/510", R"({"title":"T{n}","meta":{"editReason":"r"}})", {404, 404, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/conversations/500", R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])", {403, 403, 403, 200, 403, 200}},
    {"GET", "/api/v1/conversations/500/newcomment", "", {307, 307, 403, 307, 307, 307}},
    {"GET", "/api/v1/conversations/500/lastcomment", "", {307, 307, 403, 307, 307, 307}},
    {"GET", "/api/v1/comments/600", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/comments/610", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/comments/600/incontext", "", {307, 307, 403, 307, 307, 307}},
    {"POST", "/api/v1/comments", R"({"itemType":"conversation","itemId":500,"markdown":"m{n}"})", {403, 302, 403, 302, 302, 302}},
    {"POST", "/api/v1/comments", R"({"itemType":"conversation","itemId":510,"markdown":"m{n}"})", {404, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/comments", R"({"itemType":"profile","itemId":11,"markdown":"p{n}"})", {403, 302, 403, 403, 403, 302}},
    {"POST", "/api/v1/comments", R"({"itemType":"profile","itemId":22,"markdown":"p{n}"})", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/comments/600", R"({"markdown":"e{n}"})", {403, 302, 403, 302, 403, 302}},
    {"PUT", "/api/v1/comments/601", R"({"markdown":"e{n}"})", {403, 403, 403, 302, 403, 302}},
    {"PUT", "/api/v1/comments/610", R"({"markdown":"e{n}"})", {404, 404, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/comments/600", R"([{"op":"replace","path":"/meta/flags/moderated","value":false}])", {403, 403, 403, 200, 403, 200}},
    {"DELETE", "/api/v1/comments/610", "", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/comments/601", "", {403, 403, 403, 200, 403, 200}},
    {"DELETE", "/api/v1/conversations/510", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/out/zzzzz", "", {404, 404, 403, 404, 404, 404}},
    // Events and attendees (Mel's event 700 in A; Oscar's 710 on site 3)
    {"GET", "/api/v1/events", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/events?isAttending=true", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/events/700", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/events/710", "", {404, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/events", R"({"microcosmId":101,"title":"E{n}"})", {403, 302, 403, 302, 302, 302}},
    {"POST", "/api/v1/events", R"({"microcosmId":200,"title":"E{n}"})", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/events/700", R"({"title":"E{n}","meta":{"editReason":"r"}})", {403, 302, 403, 302, 403, 302}},
    {"PUT", "/api/v1/events/710", R"({"title":"E{n}","meta":{"editReason":"r"}})", {404, 404, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/events/700", R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])", {403, 403, 403, 200, 403, 200}},
    {"PATCH", "/api/v1/events/710", R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/events/700/attendees", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/events/710/attendees", "", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/events/700/attendees", R"([{"profileId":{self},"rsvp":"maybe"}])", {403, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/events/700/attendees", R"([{"profileId":{other},"rsvp":"yes"}])", {403, 403, 403, 403, 403, 403}},
    {"PUT", "/api/v1/events/710/attendees", R"([{"profileId":{self},"rsvp":"yes"}])", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/events/700/attendees/11", "", {200, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/events/700/attendees/{self}", R"({"rsvp":"no"})", {403, 302, 403, 302, 403, 302}},
    {"DELETE", "/api/v1/events/700/attendees/{other}", "", {403, 403, 403, 200, 403, 200}},
    {"GET", "/api/v1/events/700/attendeescsv", "", {403, 200, 403, 200, 403, 200}},
    {"GET", "/api/v1/events/710/attendeescsv", "", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/events/710", "", {404, 404, 403, 404, 404, 404}},
    // Comments on events and polls follow their microcosm's rights, as on conversations.
    {"POST", "/api/v1/comments", R"({"itemType":"event","itemId":700,"markdown":"e {n}"})", {403, 302, 403, 302, 302, 302}},
    {"POST", "/api/v1/comments", R"({"itemType":"event","itemId":710,"markdown":"e {n}"})", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/events/700/lastcomment", "", {307, 307, 403, 307, 307, 307}},
    {"GET", "/api/v1/events/710/newcomment", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/events/700/attributes", "", {200, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/events/700/attributes/colour", R"({"value":"red"})", {403, 302, 403, 302, 403, 302}},
    {"GET", "/api/v1/events/710/attributes", "", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/events/700", "", {403, 403, 403, 200, 403, 200}},
    // Polls: Mel's 700 (choices 800, 801) and Olga's 701 in A; Oscar's 710 (choice 810) on site 3
    {"GET", "/api/v1/polls", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/polls/700", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/polls/710", "", {404, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/polls", R"({"microcosmId":101,"title":"P{n}","question":"Q?","choices":[{"choice":"a"}]})", {403, 302, 403, 302, 302, 302}},
    {"POST", "/api/v1/polls", R"({"microcosmId":200,"title":"P{n}","question":"Q?","choices":[{"choice":"a"}]})", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/polls/700", R"({"title":"P{n}","meta":{"editReason":"r"}})", {403, 302, 403, 302, 403, 302}},
    {"PUT", "/api/v1/polls/710", R"({"title":"P{n}","meta":{"editReason":"r"}})", {404, 404, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/polls/700", R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])", {403, 403, 403, 200, 403, 200}},
    {"PATCH", "/api/v1/polls/710", R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/polls/700/votes", "[800]", {403, 302, 403, 302, 302, 302}},
    {"PUT", "/api/v1/polls/700/votes", "[810]", {403, 400, 403, 400, 400, 400}},
    {"PUT", "/api/v1/polls/710/votes", "[810]", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/polls/710", "", {404, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/comments", R"({"itemType":"poll","itemId":700,"markdown":"p {n}"})", {403, 302, 403, 302, 302, 302}},
    {"POST", "/api/v1/comments", R"({"itemType":"poll","itemId":710,"markdown":"p {n}"})", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/polls/700/newcomment", "", {307, 307, 403, 307, 307, 307}},
    {"GET", "/api/v1/polls/710/lastcomment", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/polls/700/attributes", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/polls/710/attributes", "", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/polls/701", "", {403, 403, 403, 200, 403, 200}},
    // Attributes
    {"GET", "/api/v1/microcosms/101/attributes", "", {200, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/microcosms/101/attributes/x", R"({"value":1})", {403, 403, 403, 302, 403, 302}},
    {"PUT", "/api/v1/profiles/{self}/attributes/team", R"({"value":"a"})", {403, 302, 403, 302, 302, 302}},
    {"PUT", "/api/v1/profiles/{other}/attributes/team", R"({"value":"b"})", {403, 403, 403, 403, 403, 302}},
    {"PUT", "/api/v1/profiles/{self}/attributes/is_member", R"({"value":true})", {403, 403, 403, 403, 403, 302}},
    {"GET", "/api/v1/profiles/{foreign}/attributes", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/conversations/500/attributes", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/conversations/510/attributes", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/comments/600/attributes", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/site/2/attributes", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/site/3/attributes", "", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/microcosms/101/attributes/x", "", {403, 403, 403, 200, 403, 404}},
    // Roles
    {"GET", "/api/v1/microcosms/101/roles", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/microcosms/200/roles", "", {404, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/microcosms/101/roles", R"({"title":"R{n}"})", {401, 403, 403, 302, 403, 302}},
    {"POST", "/api/v1/microcosms/101/roles", R"({"title":"M{n}","moderator":true})", {401, 403, 403, 403, 403, 302}},
    {"POST", "/api/v1/microcosms/100/roles", R"({"title":"R{n}"})", {401, 403, 403, 403, 403, 302}},
    {"POST", "/api/v1/microcosms/200/roles", R"({"title":"R{n}"})", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/microcosms/100/roles/{root_role}", "", {401, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/microcosms/101/roles/{root_role}", "", {401, 403, 403, 404, 403, 404}},
    {"PATCH", "/api/v1/microcosms/100/roles/{root_role}", R"([{"op":"replace","path":"/read","value":true}])", {401, 403, 403, 403, 403, 200}},
    {"GET", "/api/v1/microcosms/101/roles/{mods_role}", "", {401, 403, 403, 200, 403, 200}},
    {"GET", "/api/v1/microcosms/101/roles/{mods_role}/members", "", {401, 403, 403, 200, 403, 200}},
    {"GET", "/api/v1/microcosms/101/roles/{mods_role}/criteria", "", {401, 403, 403, 200, 403, 200}},
    {"PUT", "/api/v1/microcosms/101/roles/{mods_role}/profiles", R"([{"id":12}])", {401, 403, 403, 403, 403, 200}},
    {"POST", "/api/v1/microcosms/101/roles/{mods_role}/criteria", R"({"profileColumn":"id","predicate":"eq","value":12})", {401, 403, 403, 403, 403, 302}},
    {"GET", "/api/v1/roles", "", {401, 403, 403, 403, 403, 200}},
    {"POST", "/api/v1/roles", R"({"title":"S{n}"})", {401, 403, 403, 403, 403, 302}},
    // Root host: demo's tokens are bound to demo, so signed-in actors are strangers there.
    {"GET", "/api/v1/sites/3", "", {200, 401, 401, 401, 401, 401}, "localhost"},
    {"PUT", "/api/v1/sites/2", R"({"title":"Hijacked"})", {401, 401, 401, 401, 401, 401}, "localhost"},
    {"POST", "/api/v1/sites", R"({"title":"T","description":"D","subdomainKey":"s{n}"})", {401, 401, 401, 401, 401, 401}, "localhost"},
    // Another site's host with demo's tokens.
    {"GET", "/api/v1/whoami", "", {403, 401, 401, 401, 401, 401}, "other.localhost"},
    {"GET", "/api/v1/profiles/21", "", {200, 401, 401, 401, 401, 401}, "other.localhost"},
    // Huddles: only current participants see anything (700: Mel and Bob; 701: Zed; 710: Oscar on site 3).
    // Everyone else gets what a missing id gets: 404 (200 on leave); guests and banned 403.
    {"GET", "/api/v1/huddles", "", {200, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/huddles/700", "", {403, 200, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/701", "", {403, 404, 403, 200, 404, 404}},
    {"GET", "/api/v1/huddles/710", "", {403, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/700/participants", "", {403, 200, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/710/participants", "", {403, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/700/participants/11", "", {403, 200, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/700/participants/12", "", {403, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/710/participants/20", "", {403, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/permission?itemType=huddle&itemId=700", "", {200, 200, 403, 200, 200, 200}},
    {"POST", "/api/v1/huddles", R"({"title":"H{n}","participants":[{"id":{other}}]})", {403, 302, 403, 302, 302, 302}},
    {"POST", "/api/v1/huddles", R"({"title":"H{n}","participants":[{"id":{foreign}}]})", {403, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/huddles/700/participants", R"([{"id":{self}}])", {405, 405, 403, 405, 405, 405}},
    {"PUT", "/api/v1/huddles/701/participants", R"([{"id":{self}}])", {403, 404, 403, 302, 404, 404}},
    {"PUT", "/api/v1/huddles/710/participants", R"([{"id":{self}}])", {403, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/huddles/701/participants/{self}", "", {403, 404, 403, 302, 404, 404}},
    {"PUT", "/api/v1/huddles/710/participants/{self}", "", {403, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/huddles/701/participants/{other}", "", {403, 404, 403, 400, 404, 404}},
    {"DELETE", "/api/v1/huddles/710/participants/20", "", {403, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/huddles/710", "", {403, 200, 403, 200, 200, 200}},
    // Huddle comments (620: Mel's in 700; 630: Oscar's in 710 on site 3) are as invisible as
    // their huddle: 404 for everyone but its participants, 403 for the banned participant.
    {"GET", "/api/v1/comments/620", "", {404, 200, 403, 404, 404, 404}},
    {"GET", "/api/v1/comments/620/incontext", "", {404, 307, 403, 404, 404, 404}},
    {"GET", "/api/v1/comments/630", "", {404, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/comments/620/attributes", "", {404, 200, 403, 404, 404, 404}},
    {"PUT", "/api/v1/comments/620/attributes/mood", R"({"value":"calm"})", {404, 302, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/700/lastcomment", "", {403, 307, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/700/newcomment", "", {403, 307, 403, 404, 404, 404}},
    {"GET", "/api/v1/huddles/710/lastcomment", "", {403, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/comments", R"({"itemType":"huddle","itemId":700,"markdown":"hi {n}"})", {404, 302, 403, 404, 404, 404}},
    {"POST", "/api/v1/comments", R"({"itemType":"huddle","itemId":710,"markdown":"hi {n}"})", {404, 404, 403, 404, 404, 404}},
    {"PUT", "/api/v1/comments/620", R"({"markdown":"edited {n}"})", {404, 302, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/comments/620", R"([{"op":"replace","path":"/meta/flags/deleted","value":true}])", {404, 403, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/comments/620", "", {404, 403, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/comments/630", "", {404, 404, 403, 404, 404, 404}},
    {"DELETE", "/api/v1/huddles/700", "", {403, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/huddles/700", "", {403, 404, 403, 404, 404, 404}},
    // Watchers, updates and preferences (platform.md §2, §3): one's own only; another site's
    // targets do not exist here; a huddle only for its participants.
    {"GET", "/api/v1/watchers", "", {401, 200, 403, 200, 200, 200}},
    // A has roles of its own by now (rows above) that leave plain members unable to read it:
    // watching it is 403 for them (§2.2 Decision), so they have nothing to change or remove.
    {"POST", "/api/v1/watchers", R"({"itemType":"microcosm","itemId":101})", {401, 403, 403, 200, 403, 200}},
    {"POST", "/api/v1/watchers", R"({"itemType":"microcosm","itemId":200})", {401, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/watchers", R"({"itemType":"profile","itemId":{foreign}})", {401, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/watchers", R"({"itemType":"site","itemId":3})", {401, 404, 403, 404, 404, 404}},
    {"POST", "/api/v1/watchers", R"({"itemType":"huddle","itemId":701})", {401, 404, 403, 200, 404, 404}},
    {"DELETE", "/api/v1/watchers/999999", "", {401, 404, 403, 404, 404, 404}},
    {"PATCH", "/api/v1/watchers/patch", R"({"itemType":"microcosm","itemId":101,"sendEmail":true})", {401, 400, 403, 200, 400, 200}},
    {"DELETE", "/api/v1/watchers/delete?itemType=microcosm&itemId=101", "", {401, 404, 403, 200, 404, 200}},
    {"GET", "/api/v1/updates", "", {403, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/updates/unread", "", {403, 200, 403, 200, 200, 200}},
    {"GET", "/api/v1/updates/999999", "", {403, 404, 403, 404, 404, 404}},
    {"GET", "/api/v1/updates/preferences", "", {403, 200, 403, 200, 200, 200}},
    {"PUT", "/api/v1/updates/preferences/1", R"({"sendEmail":true,"sendSMS":false})", {400, 302, 403, 302, 302, 302}},
    // Last: the owner deletes the moderator role.
    {"DELETE", "/api/v1/microcosms/101/roles/{mods_role}", "", {401, 403, 403, 403, 403, 200}},
};
// clang-format on

struct Identity {
  std::string token;
  std::int64_t self = 0, other = 0, self_user = 0, other_user = 0;
};

class AuthorisationMatrix : public Community {
 protected:
  void SetUp() override {
    Community::SetUp();
    exec_sql(server.db().url(),
             "INSERT INTO users (user_id, email, canonical_email) VALUES (6, 'fay@example.org', 'fay@example.org');"
             "SELECT setval('users_user_id_seq', 6);"
             "INSERT INTO profiles (profile_id, site_id, user_id, profile_name) VALUES (22, 3, 6, 'Fay');"
             "INSERT INTO roles (site_id, microcosm_id, title, is_moderator_role, created_by)"
             " VALUES (2, 101, 'Mods', true, 10);"
             "INSERT INTO role_profiles (role_id, profile_id) SELECT role_id, 12 FROM roles WHERE title = 'Mods';"
             // Mel's conversation 500 in A with comments by Mel (600) and Zed (601); Oscar's 510 on site 3.
             "INSERT INTO conversations (conversation_id, site_id, microcosm_id, title, created_by) VALUES"
             " (500, 2, 101, 'Mel asks', 11), (510, 3, 200, 'Elsewhere', 20);"
             "INSERT INTO comments (comment_id, site_id, item_type_id, item_id, profile_id) VALUES"
             " (600, 2, 6, 500, 11), (601, 2, 6, 500, 12), (610, 3, 6, 510, 20);"
             "INSERT INTO revisions (comment_id, profile_id, raw, html)"
             " SELECT comment_id, profile_id, 'text', '<p>text</p>' FROM comments;"
             "SELECT setval('conversations_conversation_id_seq', 1000), setval('comments_comment_id_seq', 1000);");
    exec_sql(server.db().url(),
             "INSERT INTO events (event_id, site_id, microcosm_id, title, created_by) VALUES"
             " (700, 2, 101, 'Mel rides', 11), (710, 3, 200, 'Elsewhere', 20);"
             "SELECT setval('events_event_id_seq', 1000);");
    exec_sql(server.db().url(),
             "UPDATE microcosms SET item_types = '{2,6,7,9}';"
             "INSERT INTO polls (poll_id, site_id, microcosm_id, title, question, created_by, is_poll_open) VALUES"
             " (700, 2, 101, 'Mel polls', 'Which?', 11, true), (701, 2, 101, 'Olga polls', 'Which?', 10, true),"
             " (710, 3, 200, 'Elsewhere', 'Which?', 20, true);"
             "INSERT INTO choices (choice_id, site_id, poll_id, title, sequence) VALUES"
             " (800, 2, 700, 'a', 1), (801, 2, 700, 'b', 2), (810, 3, 710, 'c', 1);"
             "SELECT setval('polls_poll_id_seq', 1000), setval('choices_choice_id_seq', 1000);");
    // Huddles: 700 Mel's with Bob, 701 Zed's alone, 710 Oscar's on site 3.
    exec_sql(server.db().url(),
             "INSERT INTO huddles (huddle_id, site_id, title, created_by) VALUES"
             " (700, 2, 'Mel and Bob', 11), (701, 2, 'Zed alone', 12), (710, 3, 'Elsewhere', 20);"
             "INSERT INTO huddle_profiles (site_id, huddle_id, profile_id) VALUES"
             " (2, 700, 11), (2, 700, 13), (2, 701, 12), (3, 710, 20);"
             "INSERT INTO comments (comment_id, site_id, item_type_id, item_id, profile_id) VALUES"
             " (620, 2, 5, 700, 11), (630, 3, 5, 710, 20);"
             "INSERT INTO revisions (comment_id, profile_id, raw, html)"
             " SELECT comment_id, profile_id, 'secret', '<p>secret</p>' FROM comments WHERE comment_id IN (620, 630);"
             "SELECT setval('huddles_huddle_id_seq', 1000);");
    who[guest] = {"", 11, 12, 2, 3};
    who[member] = {login("mel@example.org"), 11, 12, 2, 3};
    who[banned] = {login("bob@example.org"), 13, 12, 4, 3};
    who[moderator] = {login("zed@example.org"), 12, 11, 3, 2};
    who[other_owner] = {login("oscar@example.org"), 0, 11, 5, 2};
    who[other_owner].self = as(who[other_owner].token, "GET", "/api/v1/whoami").json()["data"]["id"];
    who[owner] = {login("olga@example.org"), 10, 11, 1, 2};
  }

  std::string fill(std::string text, const Identity& id) {
    const std::pair<std::string, std::string> values[] = {
        {"{self_user}", std::to_string(id.self_user)},   {"{other_user}", std::to_string(id.other_user)},
        {"{foreign_user}", "6"},                         {"{self}", std::to_string(id.self)},
        {"{other}", std::to_string(id.other)},           {"{foreign}", "22"},
        {"{root_role}", std::to_string(role_id(100, "Members"))},
        {"{mods_role}", std::to_string(role_id(101, "Mods"))}, {"{n}", std::to_string(++counter)}};
    for (const auto& [key, value] : values) {
      for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) text.replace(at, key.size(), value);
    }
    return text;
  }

  std::array<Identity, actor_count> who;
  int counter = 0;
};

TEST_F(AuthorisationMatrix, EveryRouteAnswersEveryActorAsExpected) {
  int unexpected_success = 0;
  int checked = 0;
  for (const auto& row : rows) {
    for (int a = 0; a < actor_count; ++a) {
      const auto& id = who[static_cast<std::size_t>(a)];
      const auto path = fill(row.path, id);
      const auto body = fill(row.body, id);
      auto r = as(id.token, row.method, path, body, row.host);
      const int want = row.expect[static_cast<std::size_t>(a)];
      ++checked;
      EXPECT_EQ(r.status, want) << row.method << " " << path << " on " << row.host << " as " << actor_names[a]
                                << "\n" << r.body;
      if (r.status < 300 && want >= 300) ++unexpected_success;
      if (r.status >= 400) {
        // Every refusal is a v1 error envelope that names the problem.
        auto j = r.json();
        EXPECT_EQ(j["status"], r.status) << path;
        EXPECT_TRUE(j["error"].is_array() && !j["error"].empty() && !j["error"][0].get<std::string>().empty())
            << path << " " << r.body;
      }
    }
  }
  EXPECT_EQ(unexpected_success, 0);
  EXPECT_EQ(checked, static_cast<int>(std::size(rows)) * actor_count);
}

}  // namespace
