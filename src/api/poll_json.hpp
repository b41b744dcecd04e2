#pragma once
// Poll JSON (content-events-polls-huddles.md §P.2): choices, flags, summary.

#include <optional>
#include <string_view>
#include <vector>

#include "agora/store/comment.hpp"
#include "agora/store/microcosm.hpp"
#include "agora/store/poll.hpp"
#include "agora/store/reader_state_store.hpp"

namespace agora {
class JsonWriter;
}

namespace agora::api {

/// The fields a PollSummary and a PollDetail share up to `multi`, `pollOpen` (false once
/// pollCloses has passed, computed at `now`), `pollCloses` (omitted when none).
void write_poll_head(JsonWriter& w, const store::Poll& p, const std::vector<store::Microcosm>& path, std::int64_t now);
/// PollChoice objects in order; the key is omitted by the caller when there are none.
void write_poll_choices(JsonWriter& w, const store::Poll& p);
/// `meta.flags`; `ignored` only when true, the watch fields when the caller watches the poll.
void write_poll_flags(JsonWriter& w, const store::Poll& p, bool ignored,
                      const std::optional<store::ReaderStateStore::WatchFlags>& watch = std::nullopt);
/// `meta.links`: self and the microcosm.
void write_poll_links(JsonWriter& w, const store::Poll& p, std::string_view microcosm_title);
/// A PollSummary object; `last` (the newest visible comment) with its author's summary.
void write_poll_summary(JsonWriter& w, const store::Poll& p, const std::vector<store::Microcosm>& path,
                        std::string_view author_json, const std::optional<store::LastComment>& last,
                        std::string_view last_author_json, std::int64_t now);

}  // namespace agora::api
