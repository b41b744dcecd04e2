#include "agora/store/event.hpp"

#include "agora/store/record.hpp"

namespace agora::store {

std::string encode_event(const Event& e) {
  RecordWriter w('E', 160 + e.title.size() + e.edit_reason.size() + e.where.size());
  w.add(e.id).add(e.site_id).add(e.microcosm_id).add(e.title).add(e.created_micros).add(e.created_by);
  w.add(e.edited_micros).add(e.edited_by).add(e.edit_reason).add(e.sticky).add(e.open).add(e.deleted);
  w.add(e.moderated).add(e.comment_count).add(e.view_count).add(e.last_modified_micros);
  w.add(e.when_micros.has_value()).add(e.when_micros.value_or(0));
  w.add(e.whentz_micros.has_value()).add(e.whentz_micros.value_or(0));
  w.add(e.tz).add(e.duration).add(e.where).add(e.lat).add(e.lon).add(e.north).add(e.east).add(e.south).add(e.west);
  w.add(e.status).add(e.rsvp_limit).add(e.rsvp_attending).add(e.rsvp_spaces);
  return w.take();
}

Event decode_event(const std::string& bytes) {
  RecordReader r(bytes, 'E');
  Event e;
  e.id = r.id<EventId>();
  e.site_id = r.id<SiteId>();
  e.microcosm_id = r.id<MicrocosmId>();
  e.title = r.text();
  e.created_micros = r.integer();
  e.created_by = r.id<ProfileId>();
  e.edited_micros = r.integer();
  e.edited_by = r.id<ProfileId>();
  e.edit_reason = r.text();
  e.sticky = r.boolean();
  e.open = r.boolean();
  e.deleted = r.boolean();
  e.moderated = r.boolean();
  e.comment_count = r.integer();
  e.view_count = r.integer();
  e.last_modified_micros = r.integer();
  const auto optional_time = [&r]() -> std::optional<std::int64_t> {
    const bool present = r.boolean();
    const auto v = r.integer();
    return present ? std::optional<std::int64_t>(v) : std::nullopt;
  };
  e.when_micros = optional_time();
  e.whentz_micros = optional_time();
  e.tz = r.text();
  e.duration = r.integer();
  e.where = r.text();
  e.lat = r.real();
  e.lon = r.real();
  e.north = r.real();
  e.east = r.real();
  e.south = r.real();
  e.west = r.real();
  e.status = r.text();
  e.rsvp_limit = r.integer();
  e.rsvp_attending = r.integer();
  e.rsvp_spaces = r.integer();
  r.finish();
  return e;
}

}  // namespace agora::store
