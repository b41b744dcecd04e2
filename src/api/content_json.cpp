#include "agora/api/content_json.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/microcosm_json.hpp"
#include "agora/core/time_format.hpp"

namespace agora::api {

nlohmann::json conversation_flags(const store::Conversation& c) {
  return {{"sticky", c.sticky},
          {"open", c.open},
          {"deleted", c.deleted},
          {"moderated", c.moderated},
          {"visible", !(c.deleted || c.moderated)}};
}

nlohmann::json comment_summary(const store::Comment& c, const CommentParent& parent, nlohmann::json author,
                               nlohmann::json editor, const std::optional<ReplyTarget>& reply, bool unread) {
  nlohmann::json j = {{"id", c.id},
                      {"itemType", parent.type},
                      {"itemId", c.item_id},
                      {"revisions", c.revisions}};
  if (reply) j["inReplyTo"] = reply->comment_id;
  j["markdown"] = c.markdown;
  j["html"] = c.html;
  nlohmann::json links = {{{"rel", "self"}, {"href", "/api/v1/comments/" + std::to_string(c.id)}},
                          {{"rel", parent.type}, {"href", parent.href}, {"title", parent.title}},
                          {{"rel", "up"}, {"href", parent.href}, {"title", parent.title}}};
  if (reply) {
    links.push_back({{"rel", "inReplyTo"}, {"href", "/api/v1/comments/" + std::to_string(reply->comment_id)}});
    links.push_back({{"rel", "inReplyToAuthor"},
                     {"href", "/api/v1/profiles/" + std::to_string(reply->author_id)},
                     {"title", reply->author_name}});
  }
  nlohmann::json meta = {{"created", format_rfc3339_micros(c.created_micros)}, {"createdBy", std::move(author)}};
  if (c.revised_micros != c.created_micros) meta["edited"] = format_rfc3339_micros(c.revised_micros);
  meta["editedBy"] = std::move(editor);
  meta["flags"] = {{"deleted", c.deleted}, {"moderated", c.moderated}, {"visible", c.visible()}, {"unread", unread}};
  meta["links"] = std::move(links);
  j["meta"] = std::move(meta);
  return j;
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
