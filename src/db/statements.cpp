#include "agora/db/statements.hpp"

#include <stdexcept>

namespace agora::db {

void Statements::add(std::string name, std::string sql) {
  for (auto& [n, s] : all_) {
    if (n == name) throw std::logic_error("prepared statement registered twice: " + name);
  }
  all_.emplace_back(std::move(name), std::move(sql));
}

}  // namespace agora::db
