#pragma once
// The prepared-statement registry: stores register their named SQL once at start-up,
// and every pooled connection prepares all of them when it opens.

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "agora/db/query.hpp"

namespace agora::db {

class Statements {
 public:
  /// Registers statements by their constants (db/query.hpp). Names must be unique; a duplicate throws.
  void add(std::initializer_list<Query> queries);
  void add(const Query& query);
  const std::vector<std::pair<std::string, std::string>>& all() const { return all_; }

 private:
  std::vector<std::pair<std::string, std::string>> all_;
};

}  // namespace agora::db
