#pragma once
// One item of any kind: what a comment hangs on, what a read marker, an attribute or an
// update is about. Built from a typed id, so the kind and the id cannot disagree.

#include <cstdint>

#include "agora/core/ids.hpp"
#include "agora/core/item_types.hpp"

namespace agora {

constexpr ItemType item_type_of(SiteId) { return ItemType::site; }
constexpr ItemType item_type_of(UserId) { return ItemType::user; }
constexpr ItemType item_type_of(RoleId) { return ItemType::role; }
constexpr ItemType item_type_of(MicrocosmId) { return ItemType::microcosm; }
constexpr ItemType item_type_of(ProfileId) { return ItemType::profile; }
constexpr ItemType item_type_of(CommentId) { return ItemType::comment; }
constexpr ItemType item_type_of(ConversationId) { return ItemType::conversation; }
constexpr ItemType item_type_of(EventId) { return ItemType::event; }
constexpr ItemType item_type_of(PollId) { return ItemType::poll; }
constexpr ItemType item_type_of(HuddleId) { return ItemType::huddle; }

struct ItemRef {
  ItemType type = ItemType::site;
  std::int64_t id = 0;

  constexpr ItemRef() = default;
  /// From a row or a request that names the kind and the id separately.
  constexpr ItemRef(ItemType t, std::int64_t value) : type(t), id(value) {}
  template <class Tag>
  constexpr ItemRef(StrongId<Tag> typed) : type(item_type_of(typed)), id(typed.value()) {}  // NOLINT: an id is an item

  template <class Id>
  constexpr bool is() const {
    return type == item_type_of(Id{});
  }
  /// The typed id when the item is of that kind, else an invalid id.
  template <class Id>
  constexpr Id as() const {
    return is<Id>() ? Id{id} : Id{};
  }
  friend constexpr auto operator<=>(const ItemRef&, const ItemRef&) = default;
};

}  // namespace agora
