#include "poll_json.hpp"

#include "agora/core/json_writer.hpp"
#include "agora/core/time_format.hpp"
#include "content_json.hpp"
#include "microcosm_json.hpp"

namespace agora::api {

void write_poll_head(JsonWriter& w, const store::Poll& p, const std::vector<store::Microcosm>& path, std::int64_t now) {
  w.field("id", p.id).field("title", p.title).field("microcosmId", p.microcosm_id.value());
  w.key("breadcrumb").value(path_breadcrumb(path));
  w.field("question", p.question).field("multi", p.multi).field("pollOpen", p.voting_open(now));
  if (p.closes_micros) w.field("pollCloses", format_rfc3339_micros(p.closes_micros));
}

void write_poll_choices(JsonWriter& w, const store::Poll& p) {
  w.begin_array();
  for (const auto& c : p.choices) {
    w.begin_object().field("id", c.id).field("choice", c.title).field("order", c.order);
    w.field("votes", c.votes).field("voterCount", c.voters).end_object();
  }
  w.end_array();
}

void write_poll_flags(JsonWriter& w, const store::Poll& p, bool ignored,
                      const std::optional<store::ReaderStateStore::WatchFlags>& watch) {
  w.begin_object().field("sticky", p.sticky).field("open", p.open).field("deleted", p.deleted);
  w.field("moderated", p.moderated).field("visible", !(p.deleted || p.moderated));
  write_watch_fields(w, watch);
  if (ignored) w.field("ignored", true);
  w.end_object();
}

void write_poll_links(JsonWriter& w, const store::Poll& p, std::string_view microcosm_title) {
  w.begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/polls/" + std::to_string(p.id.value())).end_object();
  w.begin_object()
      .field("rel", "microcosm")
      .field("href", "/api/v1/microcosms/" + std::to_string(p.microcosm_id.value()))
      .field("title", microcosm_title)
      .end_object();
  w.end_array();
}

void write_poll_summary(JsonWriter& w, const store::Poll& p, const std::vector<store::Microcosm>& path,
                        std::string_view author_json, const std::optional<store::LastComment>& last,
                        std::string_view last_author_json, std::int64_t now) {
  w.begin_object();
  write_poll_head(w, p, path, now);
  w.field("totalComments", p.comment_count).field("totalViews", p.view_count);
  if (last) {  // §P.2 Decision: filled as conversations
    w.key("lastComment").begin_object().field("id", last->id).field("created", format_rfc3339_micros(last->created_micros));
    w.key("createdBy").raw(last_author_json).end_object();
  }
  w.key("meta").begin_object();
  w.field("created", format_rfc3339_micros(p.created_micros)).key("createdBy").raw(author_json);
  w.key("flags");
  write_poll_flags(w, p, false);
  w.key("links");
  write_poll_links(w, p, path.empty() ? std::string_view() : std::string_view(path.back().title));
  w.end_object().end_object();
}

}  // namespace agora::api
