#pragma once
// The forums a caller may read and has not ignored (ignoring a forum ignores its subtree):
// what the site-wide lists (conversations, events, polls, updates) draw from.

#include <vector>

#include "agora/api/context.hpp"
#include "agora/store/microcosm.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora::perm {
class Engine;
}

namespace agora::api {

struct ReadableForums {
  std::vector<store::Microcosm> all;    // every visible forum of the site, tree order
  std::vector<MicrocosmId> readable;    // those the caller reads and does not ignore
};

ReadableForums readable_forums(const Context& ctx, store::MicrocosmStore& microcosms, store::ReaderStateStore& reader,
                               perm::Engine& engine);

}  // namespace agora::api
