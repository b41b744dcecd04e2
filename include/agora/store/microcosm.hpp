#pragma once
// A microcosm (forum) as stored (content-microcosms.md §M.1, §M.11). The permission engine
// needs only the tree and the owners; the content resources read the rest.

#include <cstdint>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"

namespace agora::store {

struct Microcosm {
  MicrocosmId id;
  SiteId site_id;
  MicrocosmId parent_id;             // 0 for the root
  std::vector<MicrocosmId> path;     // root first, this microcosm last
  std::string title;
  std::string description;
  std::string visibility = "public";
  std::string logo_url;
  std::vector<int> item_types;       // item type ids that may be created inside; empty = all
  std::int64_t sequence = 9999;
  std::int64_t created_micros = 0;
  ProfileId created_by;
  ProfileId owned_by;
  std::int64_t edited_micros = 0;
  ProfileId edited_by;
  std::string edit_reason;
  bool sticky = false, open = true, deleted = false, moderated = false, visible = true;
  std::int64_t item_count = 0;  // conversations, events and polls
  std::int64_t conversation_count = 0;  // of those, conversations (the site-wide conversation total)
  std::int64_t comment_count = 0;

  bool is_root() const { return !parent_id.valid(); }
};

/// Cache representation (store/record.hpp).
std::string encode_microcosm(const Microcosm& m);
Microcosm decode_microcosm(const std::string& bytes);

/// The forums of `all` that are visible: neither they nor an ancestor is deleted or moderated
/// (an ancestor missing from `all` counts as hidden). Applied to the items of the cached tree,
/// so a tree entry refilled from a read that raced a moderator's write hides nothing.
std::vector<Microcosm> without_hidden(std::vector<Microcosm> all);

}  // namespace agora::store
