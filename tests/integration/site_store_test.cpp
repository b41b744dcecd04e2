#include <gtest/gtest.h>

#include "agora/core/error.hpp"
#include "support/stores.hpp"

using namespace agora;

namespace {

using Fixture = test::Stores;

ErrorKind kind_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.kind();
  }
  return ErrorKind::internal;
}

}  // namespace

TEST(SiteStore, CreateFindAndReadThroughCache) {
  test::TestDatabase db;
  Fixture f(db);
  auto id = f.sites.create({"alpha", "Alpha", "First", "forum.example.com"});
  EXPECT_GT(id.value(), 1);
  EXPECT_EQ(f.sites.find_by_subdomain("alpha"), id);
  EXPECT_EQ(f.sites.find_by_domain("forum.example.com"), id);
  auto site = f.sites.get(id);
  ASSERT_TRUE(site);
  EXPECT_EQ(site->title, "Alpha");
  EXPECT_EQ(site->logo_url, "/static/themes/1/logo.png") << "theme fallback";
  EXPECT_EQ(site->background_color, "#FFFFFF");

  // Now served from the cache: a change behind the store's back is not seen until flushed.
  test::exec_sql(db.url(), "UPDATE sites SET title = 'Changed' WHERE site_id = " + std::to_string(id.value()));
  EXPECT_EQ(f.sites.get(id)->title, "Alpha");
  f.sites.flush(*site);
  EXPECT_EQ(f.sites.get(id)->title, "Changed");
}

TEST(SiteStore, ValidationAndConflicts) {
  test::TestDatabase db;
  Fixture f(db);
  EXPECT_EQ(kind_of([&] { f.sites.create({"Bad-Key", "T", "", ""}); }), ErrorKind::bad_request);
  EXPECT_EQ(kind_of([&] { f.sites.create({"www", "T", "", ""}); }), ErrorKind::bad_request) << "reserved";
  EXPECT_EQ(kind_of([&] { f.sites.create({"ok", "", "", ""}); }), ErrorKind::bad_request) << "title required";
  EXPECT_EQ(kind_of([&] { f.sites.create({"ok", "T", "", "not a host"}); }), ErrorKind::bad_request);
  f.sites.create({"ok", "T", "", ""});
  EXPECT_EQ(kind_of([&] { f.sites.create({"ok", "T2", "", ""}); }), ErrorKind::bad_request);
  store::NewSite reserved{"www", "Operator", "", "", true};
  EXPECT_GT(f.sites.create(reserved).value(), 1) << "operators may take reserved names";
}

TEST(SiteStore, UnknownHostIsRememberedUntilTheSiteIsCreated) {
  test::TestDatabase db;
  Fixture f(db);
  EXPECT_FALSE(f.sites.find_by_subdomain("later"));
  auto id = f.sites.create({"later", "Later", "", ""});
  EXPECT_EQ(f.sites.find_by_subdomain("later"), id) << "create flushes the negative entry";
}

TEST(SiteStore, DeletedSitesAreNotFoundByHostButKeepTheirKey) {
  test::TestDatabase db;
  Fixture f(db);
  auto id = f.sites.create({"gone", "Gone", "", ""});
  test::exec_sql(db.url(), "UPDATE sites SET is_deleted = true WHERE site_id = " + std::to_string(id.value()));
  f.sites.flush(*f.sites.get(id));
  EXPECT_FALSE(f.sites.find_by_subdomain("gone"));
  EXPECT_TRUE(f.sites.get(id)->deleted);
  EXPECT_EQ(kind_of([&] { f.sites.create({"gone", "Again", "", ""}); }), ErrorKind::bad_request);
}

TEST(SiteStore, ListLiveExcludesRootAndDeletedOldestFirst) {
  test::TestDatabase db;
  Fixture f(db);
  auto a = f.sites.create({"a", "A", "", ""});
  auto b = f.sites.create({"b", "B", "", ""});
  auto c = f.sites.create({"c", "C", "", ""});
  test::exec_sql(db.url(), "UPDATE sites SET is_deleted = true WHERE site_id = " + std::to_string(b.value()));
  auto page = f.sites.list_live(25, 0);
  EXPECT_EQ(page.total, 2);
  EXPECT_EQ(page.ids, (std::vector<SiteId>{a, c}));
  auto many = f.sites.get_many({c, SiteId{999}, a});
  ASSERT_EQ(many.size(), 2u) << "unknown ids are skipped";
  EXPECT_EQ(many[0].id, c);
  EXPECT_EQ(many[1].id, a);
}
