#include "agora/store/all_statements.hpp"

#include "agora/store/attribute_store.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/ban_store.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/store/link_store.hpp"
#include "agora/store/login_code_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/outbox_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/relaxed_commit.hpp"
#include "agora/store/role_store.hpp"
#include "agora/store/site_store.hpp"
#include "agora/store/token_store.hpp"
#include "agora/store/user_store.hpp"
#include "agora/store/view_counter.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/watcher_store.hpp"
#include "agora/store/update_store.hpp"

namespace agora::store {

void register_store_statements(db::Statements& st) {
  SiteStore::register_statements(st);
  UserStore::register_statements(st);
  ProfileStore::register_statements(st);
  TokenStore::register_statements(st);
  BanStore::register_statements(st);
  MicrocosmStore::register_statements(st);
  RoleStore::register_statements(st);
  AttributeStore::register_statements(st);
  AuditLog::register_statements(st);
  OutboxStore::register_statements(st);
  LoginCodeStore::register_statements(st);
  ReaderStateStore::register_statements(st);
  ConversationStore::register_statements(st);
  CommentStore::register_statements(st);
  LinkStore::register_statements(st);
  ViewCounter::register_statements(st);
  EventStore::register_statements(st);
  HuddleStore::register_statements(st);
  register_relaxed_commit_statement(st);
  PollStore::register_statements(st);
  WatcherStore::register_statements(st);
  UpdateStore::register_statements(st);
}

}  // namespace agora::store
