#include "agora/store/record.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "agora/store/comment.hpp"
#include "agora/store/conversation.hpp"
#include "agora/store/event.hpp"
#include "agora/store/microcosm.hpp"

using namespace agora;
using namespace agora::store;

TEST(Record, FieldsComeBackAsWritten) {
  RecordWriter w('T');
  const std::string binary("nul\0inside and \xff bytes", 23);
  w.add(std::int64_t{0}).add(std::numeric_limits<std::int64_t>::min()).add(std::numeric_limits<std::int64_t>::max());
  w.add(-1).add(300).add(true).add(false).add(std::string_view("")).add(binary);
  const auto bytes = w.take();
  RecordReader r(bytes, 'T');
  EXPECT_EQ(r.integer(), 0);
  EXPECT_EQ(r.integer(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(r.integer(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(r.integer(), -1);
  EXPECT_EQ(r.integer(), 300);
  EXPECT_TRUE(r.boolean());
  EXPECT_FALSE(r.boolean());
  EXPECT_EQ(r.text(), "");
  EXPECT_EQ(r.text(), binary);
  EXPECT_NO_THROW(r.finish());
}

TEST(Record, MalformedBytesAreRefusedNotMisread) {
  RecordWriter w('T');
  w.add(5).add(std::string_view("hello"));
  const auto good = w.take();
  EXPECT_THROW(RecordReader("", 'T'), MalformedRecord);
  EXPECT_THROW(RecordReader(good, 'X'), MalformedRecord) << "another kind's record";
  const std::string json = R"([1,2,"json"])";
  EXPECT_THROW(RecordReader(json, 'T'), MalformedRecord) << "the JSON an older binary cached";
  for (std::size_t cut = 1; cut < good.size(); ++cut) {
    const auto bytes = good.substr(0, cut);  // the reader views the bytes: they must outlive it
    RecordReader r(bytes, 'T');
    EXPECT_THROW((r.integer(), r.text()), MalformedRecord) << "cut at " << cut;
  }
  const auto longer = good + "!";
  RecordReader extra(longer, 'T');
  extra.integer();
  extra.text();
  EXPECT_THROW(extra.finish(), MalformedRecord);
  const std::string overlong = std::string("T") + std::string(11, '\xff');
  RecordReader r(overlong, 'T');
  EXPECT_THROW(r.integer(), MalformedRecord);
  const std::string huge_length = std::string("T") + "\xff\xff\xff\xff\x0f" + "abc";
  RecordReader h(huge_length, 'T');
  EXPECT_THROW(h.text(), MalformedRecord);
}

TEST(Record, CommentsAndConversationsRoundTrip) {
  Comment c;
  c.id = CommentId{9'000'000'001};
  c.site_id = SiteId{3};
  c.item = ItemRef{ItemType::conversation, 77};
  c.author = ProfileId{12};
  c.created_micros = 1'700'000'000'123'456;
  c.in_reply_to = CommentId{9'000'000'000};
  c.moderated = true;
  c.revisions = 2;
  c.markdown = "**hi** @ann";
  c.html = "<p><strong>hi</strong></p>";
  c.revised_micros = c.created_micros + 5;
  c.revised_by = ProfileId{13};
  const auto back = decode_comment(encode_comment(c));
  EXPECT_EQ(back.id, c.id);
  EXPECT_EQ(back.site_id, c.site_id);
  EXPECT_EQ(back.item.type, c.item.type);
  EXPECT_EQ(back.item.id, c.item.id);
  EXPECT_EQ(back.author, c.author);
  EXPECT_EQ(back.created_micros, c.created_micros);
  EXPECT_EQ(back.in_reply_to, c.in_reply_to);
  EXPECT_EQ(back.deleted, c.deleted);
  EXPECT_EQ(back.moderated, c.moderated);
  EXPECT_EQ(back.revisions, c.revisions);
  EXPECT_EQ(back.markdown, c.markdown);
  EXPECT_EQ(back.html, c.html);
  EXPECT_EQ(back.revised_micros, c.revised_micros);
  EXPECT_EQ(back.revised_by, c.revised_by);

  Conversation v;
  v.id = ConversationId{5};
  v.site_id = SiteId{3};
  v.microcosm_id = MicrocosmId{4};
  v.title = "Titles can be \"quoted\"";
  v.edit_reason = "typo";
  v.sticky = true;
  v.open = false;
  v.comment_count = 123;
  v.view_count = 456;
  v.last_modified_micros = 789;
  const auto w = decode_conversation(encode_conversation(v));
  EXPECT_EQ(w.title, v.title);
  EXPECT_EQ(w.edit_reason, v.edit_reason);
  EXPECT_EQ(w.microcosm_id, v.microcosm_id);
  EXPECT_TRUE(w.sticky);
  EXPECT_FALSE(w.open);
  EXPECT_EQ(w.comment_count, 123);
  EXPECT_EQ(w.view_count, 456);
  EXPECT_EQ(w.last_modified_micros, 789);
  EXPECT_THROW(decode_comment(encode_conversation(v)), MalformedRecord) << "kinds are not confused";
}

TEST(Record, MicrocosmsRoundTripWithTheirPathAndItemTypes) {
  Microcosm m;
  m.id = MicrocosmId{7};
  m.site_id = SiteId{2};
  m.parent_id = MicrocosmId{3};
  m.path = {MicrocosmId{1}, MicrocosmId{3}, MicrocosmId{7}};
  m.title = "Cycling";
  m.description = "Two wheels";
  m.item_types = {6, 9};
  m.open = false;
  m.item_count = 40;
  m.conversation_count = 30;
  m.comment_count = 400;
  const auto back = decode_microcosm(encode_microcosm(m));
  EXPECT_EQ(back.path, m.path);
  EXPECT_EQ(back.item_types, m.item_types);
  EXPECT_EQ(back.title, m.title);
  EXPECT_EQ(back.description, m.description);
  EXPECT_EQ(back.visibility, "public");
  EXPECT_FALSE(back.open);
  EXPECT_EQ(back.item_count, 40);
  EXPECT_EQ(back.conversation_count, 30);
  EXPECT_EQ(back.comment_count, 400);
  auto bytes = encode_microcosm(m);
  bytes[4] = '\x7e';  // the path length byte: 63 ids that are not there
  EXPECT_THROW(decode_microcosm(bytes), MalformedRecord);
}

TEST(Record, EventsRoundTripWithTheirOptionalTimesAndCoordinates) {
  Event e;
  e.id = EventId{9};
  e.site_id = SiteId{2};
  e.microcosm_id = MicrocosmId{101};
  e.title = "Ride";
  e.when_micros = 1'780'000'000'000'000;
  e.whentz_micros = std::nullopt;
  e.tz = "Europe/London";
  e.duration = 90;
  e.where = "The Park";
  e.lat = 51.5074;
  e.lon = -0.1278;
  e.north = 90;
  e.west = -180;
  e.status = "upcoming";
  e.rsvp_limit = 10;
  e.rsvp_attending = 3;
  e.rsvp_spaces = 7;
  e.sticky = true;
  e.open = false;
  const auto back = decode_event(encode_event(e));
  EXPECT_EQ(back.id, e.id);
  EXPECT_EQ(back.site_id, e.site_id);
  EXPECT_EQ(back.title, e.title);
  EXPECT_EQ(back.when_micros, e.when_micros);
  EXPECT_FALSE(back.whentz_micros.has_value());
  EXPECT_EQ(back.tz, e.tz);
  EXPECT_EQ(back.where, e.where);
  EXPECT_EQ(back.lat, e.lat);  // the same bits, not merely close
  EXPECT_EQ(back.lon, e.lon);
  EXPECT_EQ(back.north, 90.0);
  EXPECT_EQ(back.west, -180.0);
  EXPECT_EQ(back.east, 0.0);
  EXPECT_EQ(back.status, "upcoming");
  EXPECT_EQ(back.rsvp_spaces, 7);
  EXPECT_TRUE(back.sticky);
  EXPECT_FALSE(back.open);
  e.when_micros = std::nullopt;
  EXPECT_FALSE(decode_event(encode_event(e)).when_micros.has_value());
  auto bytes = encode_event(e);
  EXPECT_THROW(decode_conversation(bytes), MalformedRecord) << "kinds are not confused";
  bytes.pop_back();
  EXPECT_THROW(decode_event(bytes), MalformedRecord);
}
