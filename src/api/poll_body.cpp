#include "poll_body.hpp"

#include <nlohmann/json.hpp>
#include <set>

#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/text/clean.hpp"

namespace agora::api {
namespace {

[[noreturn]] void invalid(const std::string& what) {
  throw Error(ErrorKind::bad_request, "The post data is invalid: " + what);
}

/// Sentence cleaner with shout prevention; not empty, at most `max` characters once cleaned.
std::string clean_line(const std::string& raw, const std::string& field, std::size_t max) {
  auto t = text::clean_sentence(raw, true);
  if (text::trim_spaces(t).empty()) invalid(field + " is required");
  if (utf8_length(t) > max) invalid(field + " must be at most " + std::to_string(max) + " characters");
  return t;
}

std::vector<store::ChoiceInput> read_choices(const nlohmann::json& raw, bool keep_ids) {
  if (!raw.is_array()) invalid("choices must be an array of {\"choice\": text}");
  if (raw.empty()) invalid("choices must hold at least one choice");
  if (raw.size() > max_poll_choices) invalid("choices must hold at most " + std::to_string(max_poll_choices) + " choices");
  std::vector<store::ChoiceInput> out;
  std::set<PollChoiceId> seen;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const auto name = "choices[" + std::to_string(i) + "]";
    if (!raw[i].is_object()) invalid(name + " must be an object");
    const Body entry(raw[i]);
    store::ChoiceInput c;
    c.title = clean_line(entry.optional_string("choice", any_length).value_or(""), name + ".choice", 150);
    if (keep_ids) {
      if (auto id = entry.optional_id<PollChoiceId>("id")) {
        if (!seen.insert(*id).second) invalid(name + ".id repeats choice " + std::to_string(id->value()));
        c.id = *id;
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

store::PollFields read_poll_fields(const Body& body, const store::Poll* existing, std::int64_t now) {
  store::PollFields f;
  if (existing) {
    f.microcosm = existing->microcosm_id;
    f.title = existing->title;
    f.question = existing->question;
    f.multi = existing->multi;
    f.poll_open = existing->poll_open;
    f.closes_micros = existing->closes_micros;
    for (const auto& c : existing->choices) f.choices.push_back({c.id, c.title});
  }
  if (auto t = body.optional_string("title", any_length)) {
    f.title = clean_line(*t, "title", 150);
  } else if (!existing) {
    invalid("title is required");
  }
  if (auto q = body.optional_string("question", any_length)) {
    f.question = clean_line(*q, "question", 512);
  } else if (!existing) {
    invalid("question is required");
  }
  if (const auto* raw = body.raw("choices"); raw && !raw->is_null()) {
    f.choices = read_choices(*raw, existing != nullptr);
  } else if (!existing) {
    invalid("choices is required");
  }
  if (auto m = body.optional_bool("multi")) f.multi = *m;
  if (auto o = body.optional_bool("pollOpen")) f.poll_open = *o;
  if (const auto* raw = body.raw("pollCloses")) {
    if (raw->is_null()) {
      f.closes_micros = 0;
    } else {
      const auto parsed = raw->is_string() ? parse_rfc3339_micros(raw->get<std::string>()) : std::nullopt;
      if (!parsed) invalid("pollCloses must be an RFC 3339 timestamp");
      // §P.4: the past is refused on create, allowed on PUT (0 would mean "no end").
      if (!existing && *parsed <= now) invalid("pollCloses must not be in the past");
      if (*parsed <= 0) invalid("pollCloses must be after 1970");
      f.closes_micros = *parsed;
    }
  }
  return f;
}

std::vector<PollChoiceId> read_vote(const nlohmann::json& body) {
  if (!body.is_array()) invalid("the body must be an array of choice ids");
  if (body.empty()) invalid("at least one choice id is required");
  if (body.size() > max_poll_choices) invalid("a poll has at most " + std::to_string(max_poll_choices) + " choices");
  std::vector<PollChoiceId> out;
  std::set<PollChoiceId> seen;
  for (const auto& v : body) {
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0) invalid("every choice id must be a positive integer");
    const PollChoiceId id{v.get<std::int64_t>()};
    if (!seen.insert(id).second) invalid("choice " + std::to_string(id.value()) + " is listed twice");
    out.push_back(id);
  }
  return out;
}

}  // namespace agora::api
