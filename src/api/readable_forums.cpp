#include "readable_forums.hpp"

#include <algorithm>

#include "agora/perm/engine.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/reader_state_store.hpp"

namespace agora::api {

ReadableForums readable_forums(const Context& ctx, store::MicrocosmStore& microcosms, store::ReaderStateStore& reader,
                               perm::Engine& engine) {
  ReadableForums out;
  std::vector<MicrocosmId> ids;
  for (const auto& n : microcosms.tree(ctx.site->id)) ids.push_back(n.id);
  out.all = store::without_hidden(microcosms.get_many(ctx.site->id, ids));
  std::vector<const store::Microcosm*> ms;
  for (const auto& m : out.all) ms.push_back(&m);
  const auto rights = engine.microcosms(*ctx.site, ctx.perm_caller(), ms);
  const auto ignored = reader.ignored<MicrocosmId>(ctx.site->id, ctx.caller);
  for (std::size_t i = 0; i < ms.size(); ++i) {
    const bool ignored_here = std::any_of(ms[i]->path.begin(), ms[i]->path.end(), [&](MicrocosmId id) {
      return std::find(ignored.begin(), ignored.end(), id) != ignored.end();
    });
    if (rights[i].read && !ignored_here) out.readable.push_back(ms[i]->id);
  }
  return out;
}

}  // namespace agora::api
