#include "agora/app/demo_forum.hpp"

#include <array>
#include <string>

#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/text/markdown.hpp"

namespace agora::app {
namespace {

constexpr std::array<const char*, 3> forums = {"Rides", "Kit", "Chat"};
constexpr std::array<const char*, 2> subforums = {"Touring", "Racing"};
constexpr std::array<const char*, 10> topics = {
    "Sunday social ride", "Panniers or a trailer?", "Best tyres for winter", "Route ideas for the coast",
    "First century ride", "Saddle sores and cures", "Lights that last", "Club jerseys: vote",
    "Lost a glove on the common", "Bike fit: worth it?"};
constexpr std::array<const char*, 8> remarks = {
    "I'd go with **panniers**: they keep the weight low.",
    "Has anyone tried the route along the canal? See www.example.org/canal for the map.",
    "Agreed with @{name} on this one.",
    "> Quoted from above\n\nNot sure about that, to be honest.",
    "Here is my list:\n\n* tyres\n* tubes\n* a pump\n\n~~coffee~~ *lots of coffee*",
    "[Photos from last week](https://example.org/photos) are up.",
    "Count me in for Sunday, @{name}! #sundayride",
    "```\nwheel size: 700x28c\npressure: 80 psi\n```",
};

std::string fill(std::string text, const std::string& name) {
  if (auto at = text.find("{name}"); at != std::string::npos) text.replace(at, 6, name);
  return text;
}

/// A poll in Rides with a vote from each demo account.
void seed_poll(const DemoForumStores& s, SiteId site, MicrocosmId rides, const std::vector<store::Profile>& people) {
  store::PollFields poll{rides, "Where should the summer tour go?", "Pick one destination for the club tour",
                         false, true, 0, {{{}, "The coast"}, {{}, "The hills"}, {{}, "The lakes"}}};
  const auto id = s.polls.create(site, poll, people.front().id);
  const auto made = s.polls.get(site, id);
  if (!made) return;
  for (std::size_t i = 0; i < people.size(); ++i) {
    if (people[i].user_id.valid()) s.polls.vote(site, id, people[i].user_id, {made->choices[i % 2].id});
  }
}

/// A plain-text comment (the demo's texts have no markup, so no renderer is needed).
void say(store::CommentStore& comments, SiteId site, ItemRef item, ProfileId author, const std::string& text) {
  comments.create(site, {item, author, CommentId{}, text, "<p>" + text + "</p>", {}, {}});
}

}  // namespace

/// Two upcoming evening rides (in two and five weeks, 19:00 London time) with a few answers.
static void seed_demo_events(const DemoForumStores& s, SiteId site, const std::vector<MicrocosmId>& homes,
                      const std::vector<ProfileId>& authors) {
  constexpr std::int64_t day = 86'400'000'000LL;
  const auto midnight = now_micros() / day * day;
  struct Plan {
    const char* title;
    const char* where;
    int in_days;
    int limit;
  };
  const Plan plans[] = {{"Evening ride to the coast", "The clock tower", 14, 12},
                        {"Bike maintenance night", "The workshop, Mill Lane", 35, 0}};
  for (std::size_t i = 0; i < std::size(plans); ++i) {
    store::EventFields f;
    f.microcosm = homes[(i + 1) % homes.size()];
    f.title = plans[i].title;
    f.when_micros = midnight + plans[i].in_days * day + 19 * 3'600'000'000LL;  // wall-clock 19:00
    f.tz = "Europe/London";
    f.duration = 120;
    f.where = plans[i].where;
    f.rsvp_limit = plans[i].limit;
    const auto organiser = authors[i % authors.size()];
    auto made = s.events.create(site, f, organiser);
    if (made.duplicate) continue;
    std::vector<store::EventStore::Answer> answers{{organiser, store::Rsvp::yes}};
    s.events.answer(site, made.id, answers, organiser, "");
    for (std::size_t k = 1; k < authors.size() && k < 4; ++k) {
      const auto who = authors[(i + k) % authors.size()];
      const auto state = k == 3 ? store::Rsvp::maybe : store::Rsvp::yes;
      s.events.answer(site, made.id, {{who, state}}, who, "");
    }
    if (authors.size() > 1) say(s.comments, site, made.id, authors[1], "Count me in. Lights on the way back?");
  }
}

int seed_demo_forum(const DemoForumStores& s, SiteId site, const std::vector<ProfileId>& authors) {
  auto root = s.microcosms.root_of(site);
  if (!root || authors.empty()) return 0;
  if (s.conversations.count_in(site, *root, {}).second > 0) return 0;
  std::vector<MicrocosmId> homes{*root};
  for (const char* title : forums) {
    store::NewMicrocosm forum{*root, title, std::string("All about ") + title};
    if (std::string(title) == "Rides") forum.item_types = {2, 6, 7, 9};  // takes polls too
    auto id = s.microcosms.create(site, forum, authors[0]);
    homes.push_back(id);
    if (std::string(title) == "Rides") {
      for (const char* sub : subforums) homes.push_back(s.microcosms.create(site, {id, sub, sub}, authors[0]));
    }
  }
  const auto people = s.profiles.get_many(site, authors);
  text::MarkdownContext mc;
  mc.find_profile = [&](std::string_view name) -> std::optional<std::int64_t> {
    auto id = s.profiles.find_by_name(site, name);
    if (!id) return std::nullopt;
    return id->value();
  };
  int written = 0;
  for (std::size_t t = 0; t < 30; ++t) {
    const auto& author = authors[t % authors.size()];
    const auto title = std::string(topics[t % topics.size()]) + (t >= topics.size() ? " (" + std::to_string(t / topics.size() + 1) + ")" : "");
    auto conv = s.conversations.create(site, homes[t % homes.size()], title, author);
    CommentId previous;
    for (std::size_t k = 0; k < 10; ++k) {
      const auto& writer = authors[(t + k) % authors.size()];
      const auto& other = people[(t + k + 1) % people.size()];
      auto markdown = fill(remarks[(t * 3 + k) % remarks.size()], other.name);
      if (k >= remarks.size()) markdown += "\n\nSee you all on Sunday.";  // never a duplicate post
      auto rendered = text::render_markdown(markdown, mc);
      std::vector<ProfileId> mentions;
      for (auto id : rendered.mentions) mentions.emplace_back(id);
      auto made = s.comments.create(site, {conv.id, writer, k % 3 == 2 ? previous : CommentId{}, markdown, rendered.html, mentions, {}});
      previous = made.id;
      ++written;
    }
  }
  seed_demo_events(s, site, homes, authors);
  seed_poll(s, site, homes[1], people);
  return written;
}

HuddleId seed_demo_huddle(store::HuddleStore& huddles, store::CommentStore& comments, SiteId site,
                          const std::vector<ProfileId>& authors) {
  if (authors.size() < 2) return {};
  const auto made = huddles.create(site, "Planning the Sunday social ride", false, authors[0], {authors[1]});
  if (made.duplicate) return made.id;
  say(comments, site, made.id, authors[0], "Shall we start from the clock tower at nine?");
  say(comments, site, made.id, authors[1], "Nine works. I will bring the spare tubes.");
  return made.id;
}

}  // namespace agora::app
