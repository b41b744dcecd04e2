#pragma once
// Running prepared statements by their constants (db/query.hpp) and mapping their rows.

#include <optional>
#include <pqxx/pqxx>
#include <string_view>
#include <utility>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/core/item_types.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/query.hpp"

// Strong ids and item types go into statements and come out of rows as themselves:
// `db::exec(tx, kQuery, site, comment_id)`, `row["comment_id"].as<CommentId>()`.
namespace pqxx {
template <class Tag>
struct string_traits<agora::StrongId<Tag>> {
  using Id = agora::StrongId<Tag>;
  static constexpr const char* name() noexcept { return "agora::StrongId"; }
  static constexpr bool has_null() noexcept { return false; }
  static bool is_null(Id) { return false; }
  [[noreturn]] static Id null() { internal::throw_null_conversion(name()); }
  static void from_string(const char text[], Id& id) {
    long long v = 0;
    string_traits<long long>::from_string(text, v);
    id = Id{v};
  }
  static std::string to_string(Id id) { return std::to_string(id.value()); }
};
template <>
struct string_traits<agora::ItemType> : enum_traits<agora::ItemType> {
  static constexpr const char* name() noexcept { return "agora::ItemType"; }
  static bool is_null(agora::ItemType) { return false; }  // enum_traits of libpqxx 6 lacks it
};
}  // namespace pqxx

namespace agora::db {

/// Runs a prepared statement inside a transaction the caller holds.
template <class... Args>
pqxx::result exec(pqxx::transaction_base& tx, const Query& q, Args&&... args) {
  return tx.exec_prepared(q.name, std::forward<Args>(args)...);
}

/// Runs one statement on its own (no BEGIN/COMMIT: one round trip) and returns its rows.
template <class... Args>
pqxx::result read(pqxx::connection& conn, const Query& q, const Args&... args) {
  pqxx::nontransaction tx(conn);
  return tx.exec_prepared(q.name, args...);
}

template <class... Args>
pqxx::result read(Pool& pool, const Query& q, const Args&... args) {
  return pool.run([&](pqxx::connection& conn) { return read(conn, q, args...); });
}

/// A statement that writes, run on its own like `read`: for one whose text decides how it
/// commits (a relaxed commit), where BEGIN/COMMIT would only add round trips.
template <class... Args>
pqxx::result autocommit(Pool& pool, const Query& q, const Args&... args) {
  return read(pool, q, args...);
}

/// Runs one statement in its own transaction and commits it; returns its rows.
template <class... Args>
pqxx::result write(pqxx::connection& conn, const Query& q, const Args&... args) {
  pqxx::work tx(conn);
  auto rows = tx.exec_prepared(q.name, args...);
  tx.commit();
  return rows;
}

template <class... Args>
pqxx::result write(Pool& pool, const Query& q, const Args&... args) {
  return pool.run([&](pqxx::connection& conn) { return write(conn, q, args...); });
}

/// Every row of a result, mapped by `map(row)`.
template <class Map>
auto map_rows(const pqxx::result& rows, Map&& map) {
  std::vector<decltype(map(std::declval<const pqxx::row&>()))> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(map(r));
  return out;
}

/// The first row mapped, or nullopt when there is none.
template <class Map>
auto first_row(const pqxx::result& rows, Map&& map) -> std::optional<decltype(map(rows[0]))> {
  if (rows.empty()) return std::nullopt;
  return map(rows[0]);
}

/// The first column of every row.
template <class T>
std::vector<T> column(const pqxx::result& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(r[0].as<T>());
  return out;
}

/// The first column of the first row, or nullopt when there are no rows (or it is NULL).
template <class T>
std::optional<T> value(const pqxx::result& rows) {
  if (rows.empty() || rows[0][0].is_null()) return std::nullopt;
  return rows[0][0].as<T>();
}

}  // namespace agora::db
