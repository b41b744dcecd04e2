#pragma once
// Forward declarations of what every store is built from, and of the stores and entities
// themselves, to keep the headers that only name them thin.

namespace agora {
class ConfigHolder;
}
namespace agora::db {
class Pool;
class Statements;
}  // namespace agora::db
namespace agora::cache {
class Cache;
}
namespace agora::store {
class AttributeStore;
class AuditLog;
class BanStore;
class CommentStore;
class EventStore;
class ConversationStore;
class HuddleStore;
class LinkStore;
class LoginCodeStore;
class MicrocosmStore;
class OutboxStore;
class ProfileStore;
class ReaderStateStore;
class RoleStore;
class SiteStore;
class TokenStore;
class UserStore;
class ViewCounter;
class PollStore;
class WatcherStore;
class UpdateStore;
struct Poll;
struct Comment;
struct Conversation;
struct Event;
struct Huddle;
struct Microcosm;
struct Profile;
struct Role;
struct Site;
}  // namespace agora::store
