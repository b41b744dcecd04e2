#pragma once
// Profiles: a user's persona on one site (identity.md §4, §6). Every call is scoped by
// SiteId: a profile id from another site is "not found". Cache keys:
//   v2:prof:{id}            the Profile (store/record.hpp)
//   v2:su:{site}:{user}     the user's profile id on the site (immutable once made)

#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include <pqxx/transaction_base>

#include "agora/core/ids.hpp"

#include "agora/store/store_fwd.hpp"

namespace pqxx {
class transaction_base;
}

namespace agora::store {

struct Profile {
  ProfileId id;
  SiteId site_id;
  UserId user_id;
  std::string name;
  bool visible = true;
  std::int64_t style_id = 0;
  std::int64_t item_count = 0;
  std::int64_t comment_count = 0;
  std::string avatar_url;
  std::int64_t created_micros = 0;
  std::int64_t last_active_micros = 0;
};

/// Per-profile settings (identity.md §6.7).
struct ProfileOptions {
  bool show_dob = false;
  bool show_dob_year = false;
  bool send_email = true;
  bool send_sms = false;
  bool is_discouraged = false;
};

class ProfileStore {
 public:
  ProfileStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);
  /// Inside a write's transaction: the author's `item_count` (visible conversations and
  /// events authored) moves by `delta` when an item appears or disappears. Flush after commit.
  static void add_items(pqxx::transaction_base& tx, SiteId site, ProfileId author, int delta);

  /// The profile if it exists on this site.
  std::optional<Profile> get(SiteId site, ProfileId id);
  /// The user's profile on the site, if any.
  std::optional<ProfileId> find_for_user(SiteId site, UserId user);
  /// The user's profile on the site, created (named `user{userId+5830}`, visible, default
  /// options) when missing (identity.md §4 Decision: never the e-mail's local part).
  Profile get_or_create(SiteId site, UserId user);
  /// The insert behind get_or_create, inside a caller's transaction (site creation).
  static ProfileId insert_in(pqxx::transaction_base& tx, SiteId site, UserId user);

  /// The profile with this name on the site, case-insensitive (mentions).
  std::optional<ProfileId> find_by_name(SiteId site, std::string_view name);

  /// Profiles by id on this site, in the order asked; ids elsewhere are skipped.
  std::vector<Profile> get_many(SiteId site, const std::vector<ProfileId>& ids);

  /// Writes the editable fields (identity.md §6.6 Decision). Error{bad_request} when the
  /// name is taken on the site by another profile.
  void update(SiteId site, ProfileId id, const std::string& name, bool visible, std::int64_t style_id);

  /// Drops the cached profile (after its counters changed).
  void flush(ProfileId id);

  /// Sets last_active to now (the caller limits how often: identity.md §3.3, once per 60 s).
  void touch(SiteId site, ProfileId id);

  /// The profile's options; nullopt when it has no row.
  std::optional<ProfileOptions> options(SiteId site, ProfileId id);
  void set_options(SiteId site, ProfileId id, const ProfileOptions& options);

  struct ListQuery {
    std::string prefix;   // case-insensitive name prefix, "" for all
    bool top = false;     // by comment count
    bool online = false;  // active in the last 90 minutes
    ProfileId viewer;     // profiles the viewer ignores are left out
    bool following = false;  // only those the viewer follows (watches, platform.md §2)
    int limit = 25;
    int offset = 0;
  };
  struct Page {
    std::int64_t total = 0;
    std::vector<ProfileId> ids;
  };
  /// Visible and invisible profiles of the site except those named `deleted`.
  Page list(SiteId site, const ListQuery& query);
  /// Profile ids of the site above `after`, ascending (keyset scans over a whole site).
  std::vector<ProfileId> ids_after(SiteId site, ProfileId after, int limit);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
