#pragma once
// Item types (conventions.md §1): numeric ids in the database, names in JSON and queries.

#include <optional>
#include <string_view>

namespace agora {

enum class ItemType : int {
  site = 1, microcosm = 2, profile = 3, comment = 4, huddle = 5, conversation = 6, poll = 7,
  article = 8, event = 9, question = 10, classified = 11, album = 12, attendee = 13, user = 14,
  attribute = 15, update = 16, role = 17, update_type = 18, watcher = 19, auth = 20, attachment = 21,
};

/// The type with this name, case-insensitive (`q_and_a` is accepted for question).
std::optional<ItemType> item_type_from_name(std::string_view name);
std::string_view item_type_name(ItemType type);
inline int item_type_id(ItemType type) { return static_cast<int>(type); }

}  // namespace agora
