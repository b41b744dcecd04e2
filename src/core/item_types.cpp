#include "agora/core/item_types.hpp"

#include <array>
#include <utility>

#include "agora/core/text.hpp"

namespace agora {
namespace {

constexpr std::array<std::pair<ItemType, std::string_view>, 21> names{{
    {ItemType::site, "site"},           {ItemType::microcosm, "microcosm"},
    {ItemType::profile, "profile"},     {ItemType::comment, "comment"},
    {ItemType::huddle, "huddle"},       {ItemType::conversation, "conversation"},
    {ItemType::poll, "poll"},           {ItemType::article, "article"},
    {ItemType::event, "event"},         {ItemType::question, "question"},
    {ItemType::classified, "classified"}, {ItemType::album, "album"},
    {ItemType::attendee, "attendee"},   {ItemType::user, "user"},
    {ItemType::attribute, "attribute"}, {ItemType::update, "update"},
    {ItemType::role, "role"},           {ItemType::update_type, "update_type"},
    {ItemType::watcher, "watcher"},     {ItemType::auth, "auth"},
    {ItemType::attachment, "attachment"},
}};

}  // namespace

std::optional<ItemType> item_type_from_name(std::string_view name) {
  if (iequals(name, "q_and_a")) return ItemType::question;
  for (const auto& [type, n] : names) {
    if (iequals(name, n)) return type;
  }
  return std::nullopt;
}

std::string_view item_type_name(ItemType type) {
  for (const auto& [t, n] : names) {
    if (t == type) return n;
  }
  return "";
}

}  // namespace agora
