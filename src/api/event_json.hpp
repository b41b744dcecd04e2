#pragma once
// Event and attendee JSON (content-events-polls-huddles.md §E.3, §E.4, §E.7).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agora/store/event_store.hpp"
#include "agora/store/microcosm.hpp"

namespace agora::api {

/// An EventSummary; `attending` goes into meta.flags when given.
nlohmann::json event_summary(const store::Event& e, const std::vector<store::Microcosm>& path,
                             const std::string& microcosm_title, const nlohmann::json& author,
                             std::optional<bool> attending);

/// An Attendee; profiles are summaries already built (null when unknown).
nlohmann::json attendee_json(const store::Attendee& a, const nlohmann::json& profile, const nlohmann::json& creator,
                             const nlohmann::json& editor);

/// One CSV field per RFC 4180, neutralised against spreadsheet formulas: a field starting
/// with =, +, - or @ gets a ' in front; fields are always quoted, quotes doubled.
std::string csv_field(const std::string& value);

}  // namespace agora::api
