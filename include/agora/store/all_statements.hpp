#pragma once
// Registers the prepared statements of every store (stores use each other's statements
// inside shared transactions, so a pool always prepares all of them).

namespace agora::db {
class Statements;
}

namespace agora::store {

void register_store_statements(db::Statements& statements);

}  // namespace agora::store
