#pragma once
// What the API handlers are built from: every store and service, built once by the
// composition root (app/) and handed to the routes of each area (api/*_routes.hpp).
// Handlers take what they need from it when they are constructed, never per request.

#include "agora/api/fragment_memo.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora {
class ConfigHolder;
class Metrics;
class RateLimiter;
}  // namespace agora
namespace agora::auth {
class TokenService;
class LoginService;
class PasswordHasher;
class JwksCache;
}  // namespace agora::auth
namespace agora::perm {
class Engine;
struct PermissionSet;
}  // namespace agora::perm
namespace agora::mail {
class Sender;
}

namespace agora::api {

struct Services {
  store::SiteStore& sites;
  store::UserStore& users;
  store::ProfileStore& profiles;
  store::BanStore& bans;
  store::MicrocosmStore& microcosms;
  store::RoleStore& roles;
  store::AttributeStore& attributes;
  store::AuditLog& audit;
  store::LoginCodeStore& login_codes;
  store::ReaderStateStore& reader;
  store::ConversationStore& conversations;
  store::CommentStore& comments;
  store::LinkStore& links;
  store::ViewCounter& views;
  store::EventStore& events;
  auth::TokenService& tokens;
  auth::LoginService& logins;
  const auth::PasswordHasher& passwords;
  auth::JwksCache& jwks;
  perm::Engine& engine;
  mail::Sender& mail;
  RateLimiter& login_limiter;
  Fragments fragments;
  db::Pool& pool;
  cache::Cache& cache;
  const Metrics& metrics;
  const ConfigHolder& config;
  store::PollStore& polls;
  store::HuddleStore& huddles;
  store::WatcherStore& watchers;
  store::UpdateStore& updates;
};

}  // namespace agora::api
