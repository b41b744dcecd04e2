#include "content_json.hpp"

#include <nlohmann/json.hpp>

#include "microcosm_json.hpp"
#include "profile_json.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/store/record.hpp"
#include "agora/core/time_format.hpp"

namespace agora::api {

void write_authorship(JsonWriter& w, const Authorship& a, const ProfileSummaries& people) {
  w.field("created", format_rfc3339_micros(a.created_micros)).key("createdBy").raw(people.of(a.created_by));
  if (a.edited_micros) {
    w.field("edited", format_rfc3339_micros(a.edited_micros)).key("editedBy").raw(people.of(a.edited_by));
    w.field("editReason", a.edit_reason);
  }
}

void write_watch_fields(JsonWriter& w, const std::optional<store::ReaderStateStore::WatchFlags>& watch) {
  if (watch) w.field("watched", true).field("sendEmail", watch->send_email).field("sendSMS", watch->send_sms);
}

void write_conversation_flags(JsonWriter& w, const store::Conversation& c, std::optional<bool> unread, bool ignored,
                              const std::optional<store::ReaderStateStore::WatchFlags>& watch) {
  w.begin_object().field("sticky", c.sticky).field("open", c.open).field("deleted", c.deleted);
  w.field("moderated", c.moderated).field("visible", !(c.deleted || c.moderated));
  write_watch_fields(w, watch);
  if (unread) w.field("unread", *unread);
  if (ignored) w.field("ignored", true);
  w.end_object();
}

std::string comment_summary_inputs(const store::Comment& c, const CommentParent& parent, std::string_view author_json,
                                   std::string_view editor_json, const std::optional<ReplyTarget>& reply, bool unread) {
  store::RecordWriter in('c', 128 + c.markdown.size() + c.html.size() + author_json.size() + editor_json.size());
  in.add(c.id).add(c.item.id).add(c.revisions).add(c.created_micros).add(c.revised_micros).add(c.deleted);
  in.add(c.moderated).add(c.markdown).add(c.html).add(parent.type).add(parent.href).add(parent.title);
  in.add(author_json).add(editor_json).add(reply.has_value()).add(unread);
  if (reply) in.add(reply->comment_id).add(reply->author_id).add(reply->author_name);
  return in.take();
}

void write_comment_summary(JsonWriter& w, const store::Comment& c, const CommentParent& parent,
                           std::string_view author_json, std::string_view editor_json,
                           const std::optional<ReplyTarget>& reply, bool unread) {
  const auto self = "/api/v1/comments/" + std::to_string(c.id.value());
  w.begin_object().field("id", c.id).field("itemType", parent.type).field("itemId", c.item.id).field("revisions", c.revisions);
  if (reply) w.field("inReplyTo", reply->comment_id);
  w.field("markdown", c.markdown).field("html", c.html);
  w.key("meta").begin_object();
  w.field("created", format_rfc3339_micros(c.created_micros)).key("createdBy").raw(author_json);
  if (c.revised_micros != c.created_micros) w.field("edited", format_rfc3339_micros(c.revised_micros));
  w.key("editedBy").raw(editor_json);
  w.key("flags").begin_object();
  w.field("deleted", c.deleted).field("moderated", c.moderated).field("visible", c.visible()).field("unread", unread);
  w.end_object();
  w.key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", self).end_object();
  w.begin_object().field("rel", parent.type).field("href", parent.href).field("title", parent.title).end_object();
  w.begin_object().field("rel", "up").field("href", parent.href).field("title", parent.title).end_object();
  if (reply) {
    w.begin_object().field("rel", "inReplyTo").field("href", "/api/v1/comments/" + std::to_string(reply->comment_id.value())).end_object();
    w.begin_object()
        .field("rel", "inReplyToAuthor")
        .field("href", "/api/v1/profiles/" + std::to_string(reply->author_id.value()))
        .field("title", reply->author_name)
        .end_object();
  }
  w.end_array().end_object().end_object();
}

void write_conversation_summary(JsonWriter& w, const store::Conversation& c, const std::vector<store::Microcosm>& path,
                                std::string_view author_json, const std::optional<store::LastComment>& last,
                                std::string_view last_author_json, std::optional<bool> unread) {
  w.begin_object().field("id", c.id).field("title", c.title).field("microcosmId", c.microcosm_id.value());
  w.key("breadcrumb").value(path_breadcrumb(path));
  w.field("totalComments", c.comment_count).field("totalViews", c.view_count);
  if (last) {
    w.key("lastComment").begin_object().field("id", last->id).field("created", format_rfc3339_micros(last->created_micros));
    w.key("createdBy").raw(last_author_json).end_object();
  }
  w.key("meta").begin_object();
  w.field("created", format_rfc3339_micros(c.created_micros)).key("createdBy").raw(author_json);
  w.key("flags");
  write_conversation_flags(w, c, unread, false);
  w.key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/conversations/" + std::to_string(c.id.value())).end_object();
  w.begin_object()
      .field("rel", "microcosm")
      .field("href", "/api/v1/microcosms/" + std::to_string(c.microcosm_id.value()))
      .field("title", path.empty() ? std::string() : path.back().title)
      .end_object();
  w.end_array().end_object().end_object();
}

}  // namespace agora::api
