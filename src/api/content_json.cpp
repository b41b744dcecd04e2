#include "agora/api/content_json.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/microcosm_json.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/time_format.hpp"

namespace agora::api {

nlohmann::json conversation_flags(const store::Conversation& c) {
  return {{"sticky", c.sticky},
          {"open", c.open},
          {"deleted", c.deleted},
          {"moderated", c.moderated},
          {"visible", !(c.deleted || c.moderated)}};
}

void write_comment_summary(JsonWriter& w, const store::Comment& c, const CommentParent& parent,
                           std::string_view author_json, std::string_view editor_json,
                           const std::optional<ReplyTarget>& reply, bool unread) {
  const auto self = "/api/v1/comments/" + std::to_string(c.id);
  w.begin_object().field("id", c.id).field("itemType", parent.type).field("itemId", c.item_id).field("revisions", c.revisions);
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
    w.begin_object().field("rel", "inReplyTo").field("href", "/api/v1/comments/" + std::to_string(reply->comment_id)).end_object();
    w.begin_object()
        .field("rel", "inReplyToAuthor")
        .field("href", "/api/v1/profiles/" + std::to_string(reply->author_id))
        .field("title", reply->author_name)
        .end_object();
  }
  w.end_array().end_object().end_object();
}

nlohmann::json conversation_summary(const store::Conversation& c, const std::vector<store::Microcosm>& path,
                                    nlohmann::json author, const std::optional<store::LastComment>& last,
                                    nlohmann::json last_author) {
  nlohmann::json j = {{"id", c.id},
                      {"title", c.title},
                      {"microcosmId", c.microcosm_id.value()},
                      {"breadcrumb", path_breadcrumb(path)},
                      {"totalComments", c.comment_count},
                      {"totalViews", c.view_count}};
  if (last) {
    j["lastComment"] = {{"id", last->id},
                        {"created", format_rfc3339_micros(last->created_micros)},
                        {"createdBy", std::move(last_author)}};
  }
  const std::string microcosm_title = path.empty() ? "" : path.back().title;
  j["meta"] = {{"created", format_rfc3339_micros(c.created_micros)},
               {"createdBy", std::move(author)},
               {"flags", conversation_flags(c)},
               {"links",
                {{{"rel", "self"}, {"href", "/api/v1/conversations/" + std::to_string(c.id)}},
                 {{"rel", "microcosm"},
                  {"href", "/api/v1/microcosms/" + std::to_string(c.microcosm_id.value())},
                  {"title", microcosm_title}}}}};
  return j;
}

}  // namespace agora::api
