#pragma once
// Short links (platform.md §8): one row per distinct URL; the code is one random character
// of the 56-symbol alphabet followed by the row id in base 56, least significant digit first.

#include <optional>
#include <string>
#include <string_view>

#include "agora/store/store_fwd.hpp"

namespace agora::store {

struct ShortLink {
  std::int64_t id = 0;
  std::string code;
};

/// Base-56 code of a link id, with the given leading character.
std::string encode_link_code(std::int64_t id, char lead);
/// The link id of a code, or nullopt for anything that is not a code.
std::optional<std::int64_t> decode_link_code(std::string_view code);

class LinkStore {
 public:
  explicit LinkStore(db::Pool& pool) : pool_(pool) {}
  static void register_statements(db::Statements& statements);

  /// The short link of a URL, made when new.
  ShortLink shorten(const std::string& url);
  /// The URL behind a code, counting the hit; nullopt when unknown.
  std::optional<std::string> follow(std::string_view code);

 private:
  db::Pool& pool_;
};

}  // namespace agora::store
