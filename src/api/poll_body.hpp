#pragma once
// The request bodies of polls (content-events-polls-huddles.md §P.4, §P.5): every refusal is
// Error{bad_request} naming the field.

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "agora/api/body.hpp"
#include "agora/store/poll.hpp"
#include "agora/store/poll_store.hpp"

namespace agora::api {

/// The most choices a poll may have.
inline constexpr std::size_t max_poll_choices = 100;

/// Title, question, choices, multi, pollOpen, pollCloses (the microcosm is the caller's).
/// Create (`existing` null): title, question and choices required, pollCloses not in the
/// past, choice ids ignored. PUT: absent fields keep `existing`'s values; choice ids kept.
store::PollFields read_poll_fields(const Body& body, const store::Poll* existing, std::int64_t now_micros);

/// A vote body: a non-empty array of distinct positive choice ids.
std::vector<PollChoiceId> read_vote(const nlohmann::json& body);

}  // namespace agora::api
