#pragma once
// A prepared statement is one constant, its name beside its SQL text, declared next to the
// code that runs it:
//
//   constexpr db::Query kCommentReplies{"comment_replies", R"sql(
//     SELECT c.comment_id FROM comments c WHERE c.site_id = $1 AND c.in_reply_to = $2 ...)sql"};
//
// The owning store registers its constants once (`Statements::add`), every pooled connection
// prepares them, and the helpers of db/call.hpp run one by its constant in one line.

#include <string_view>

namespace agora::db {

struct Query {
  const char* name;
  std::string_view sql;
};

}  // namespace agora::db
