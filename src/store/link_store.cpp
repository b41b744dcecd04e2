#include "agora/store/link_store.hpp"

#include <pqxx/pqxx>
#include <sodium.h>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr std::string_view alphabet = "abcdefghijkmnpqrstuvwxyz23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

constexpr db::Query kUpsertLink{"link_upsert", R"sql(
  INSERT INTO links (url, url_sha256, domain)
  SELECT $1::text, $2::text, $3::text FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed_commit
  ON CONFLICT (url_sha256) DO UPDATE SET url = links.url RETURNING link_id)sql"};

constexpr db::Query kFollowLink{"link_follow", R"sql(
  UPDATE links SET hits = hits + 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed_commit
  WHERE link_id = $1 RETURNING url)sql"};

std::string sha256_hex(const std::string& s) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(s.data()), s.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string domain_of(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return "";
  start += 3;
  auto end = url.find_first_of("/?#", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start).substr(0, 253);
}

}  // namespace

std::string encode_link_code(std::int64_t id, char lead) {
  std::string code(1, lead);
  do {
    code += alphabet[static_cast<std::size_t>(id % 56)];
    id /= 56;
  } while (id > 0);
  return code;
}

std::optional<std::int64_t> decode_link_code(std::string_view code) {
  // 56^9 < 2^63: longer codes are no codes (and would overflow).
  if (code.size() < 2 || code.size() > 10 || alphabet.find(code[0]) == std::string_view::npos) return std::nullopt;
  std::int64_t id = 0;
  std::int64_t scale = 1;
  for (char c : code.substr(1)) {
    const auto digit = alphabet.find(c);
    if (digit == std::string_view::npos) return std::nullopt;
    id += static_cast<std::int64_t>(digit) * scale;
    scale *= 56;
  }
  return id;
}

void LinkStore::register_statements(db::Statements& st) { st.add({kUpsertLink, kFollowLink}); }

ShortLink LinkStore::shorten(const std::string& url) {
  const auto row = db::autocommit(pool_, kUpsertLink, url, sha256_hex(url), domain_of(url));
  const auto id = row[0]["link_id"].as<std::int64_t>();
  return {id, encode_link_code(id, alphabet[randombytes_uniform(static_cast<std::uint32_t>(alphabet.size()))])};
}

std::optional<std::string> LinkStore::follow(std::string_view code) {
  auto id = decode_link_code(code);
  if (!id) return std::nullopt;
  return db::value<std::string>(db::autocommit(pool_, kFollowLink, *id));
}

}  // namespace agora::store
