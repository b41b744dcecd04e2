#include "agora/db/statements.hpp"

#include <stdexcept>

#include "agora/db/query.hpp"

namespace agora::db {

void Statements::add(const Query& query) { add(query.name, std::string(query.sql)); }

void Statements::add(std::string name, std::string sql) {
  for (auto& [n, s] : all_) {
    if (n == name) throw std::logic_error("prepared statement registered twice: " + name);
  }
  all_.emplace_back(std::move(name), std::move(sql));
}

void Statements::add(std::initializer_list<Query> queries) {
  for (const auto& q : queries) add(q);
}

}  // namespace agora::db
