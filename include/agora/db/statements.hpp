#pragma once
// The prepared-statement registry: stores register their named SQL once at start-up,
// and every pooled connection prepares all of them when it opens.

#include <string>
#include <utility>
#include <vector>

namespace agora::db {

class Statements {
 public:
  /// Registers a statement. Names must be unique; a duplicate throws.
  void add(std::string name, std::string sql);
  const std::vector<std::pair<std::string, std::string>>& all() const { return all_; }

 private:
  std::vector<std::pair<std::string, std::string>> all_;
};

}  // namespace agora::db
