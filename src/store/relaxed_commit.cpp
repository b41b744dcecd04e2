#include "agora/store/relaxed_commit.hpp"

#include <pqxx/pqxx>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

// SET cannot be prepared; set_config(..., is_local => true) is the same thing as a SELECT.
constexpr db::Query kRelaxCommit{"relaxed_commit", R"sql(
  SELECT set_config('synchronous_commit', 'off', true))sql"};

}  // namespace

void register_relaxed_commit_statement(db::Statements& st) { st.add(kRelaxCommit); }

void relax_commit(pqxx::transaction_base& tx) { db::exec(tx, kRelaxCommit); }

}  // namespace agora::store
