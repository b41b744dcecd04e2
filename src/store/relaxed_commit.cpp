#include "agora/store/relaxed_commit.hpp"

#include <pqxx/pqxx>

#include "agora/db/statements.hpp"

namespace agora::store {
namespace {
constexpr const char* relaxed = "relaxed_commit";
}

void register_relaxed_commit_statement(db::Statements& st) {
  // SET cannot be prepared; set_config(..., is_local => true) is the same thing as a SELECT.
  st.add(relaxed, "SELECT set_config('synchronous_commit', 'off', true)");
}

void relax_commit(pqxx::transaction_base& tx) { tx.exec_prepared(relaxed); }

}  // namespace agora::store
