#include "agora/db/statements.hpp"

#include <stdexcept>

#include "agora/db/query.hpp"

namespace agora::db {

void Statements::add(const Query& query) {
  for (auto& [name, sql] : all_) {
    if (name == query.name) throw std::logic_error("prepared statement registered twice: " + name);
  }
  all_.emplace_back(query.name, std::string(query.sql));
}

void Statements::add(std::initializer_list<Query> queries) {
  for (const auto& q : queries) add(q);
}

}  // namespace agora::db
