// store::without_hidden: a forum is shown only when it and every ancestor are neither deleted
// nor moderated (the cached tree may lag a moderator's write; the items' flags decide).
#include <gtest/gtest.h>

#include "agora/store/microcosm.hpp"

using namespace agora;

namespace {

store::Microcosm forum(std::int64_t id, std::vector<std::int64_t> path, bool deleted = false, bool moderated = false) {
  store::Microcosm m;
  m.id = MicrocosmId{id};
  for (auto p : path) m.path.emplace_back(p);
  m.deleted = deleted;
  m.moderated = moderated;
  return m;
}

std::vector<std::int64_t> ids(const std::vector<store::Microcosm>& ms) {
  std::vector<std::int64_t> out;
  for (const auto& m : ms) out.push_back(m.id.value());
  return out;
}

TEST(HiddenForums, ADeletedOrModeratedForumHidesItsSubtree) {
  auto shown = store::without_hidden({forum(1, {1}), forum(2, {1, 2}, true), forum(3, {1, 2, 3}), forum(4, {1, 4}),
                                      forum(5, {1, 4, 5}, false, true), forum(6, {1, 4, 6})});
  EXPECT_EQ(ids(shown), (std::vector<std::int64_t>{1, 4, 6}));
}

TEST(HiddenForums, AnAncestorMissingFromTheSetCountsAsHidden) {
  auto shown = store::without_hidden({forum(1, {1}), forum(3, {1, 2, 3})});
  EXPECT_EQ(ids(shown), (std::vector<std::int64_t>{1}));
}

}  // namespace
