#include "agora/store/attribute_store.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr db::Query kSelectAll{"attribute_select_all", R"sql(
  SELECT key, value_type, COALESCE(string_value, to_char(date_value, 'YYYY-MM-DD'), '') AS text_value,
         COALESCE(number_value, 0) AS number_value, COALESCE(boolean_value, false) AS boolean_value
  FROM attributes WHERE site_id = $1 AND item_type_id = $2 AND item_id = $3 ORDER BY key)sql"};

constexpr db::Query kUpsert{"attribute_upsert", R"sql(
  INSERT INTO attributes (site_id, item_type_id, item_id, key, value_type, string_value, date_value,
                          number_value, boolean_value)
  VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9)
  ON CONFLICT (item_type_id, item_id, key) DO UPDATE SET value_type = EXCLUDED.value_type,
    string_value = EXCLUDED.string_value, date_value = EXCLUDED.date_value,
    number_value = EXCLUDED.number_value, boolean_value = EXCLUDED.boolean_value
  WHERE attributes.site_id = EXCLUDED.site_id)sql"};

constexpr db::Query kDeleteOne{"attribute_delete", R"sql(
  DELETE FROM attributes WHERE site_id = $1 AND item_type_id = $2 AND item_id = $3 AND key = $4)sql"};

Attribute attribute_from_row(const pqxx::row& r) {
  return {r["key"].as<std::string>(), r["value_type"].as<std::string>(), r["text_value"].as<std::string>(),
          r["number_value"].as<double>(), r["boolean_value"].as<bool>()};
}

// The site is in the key, so a lookup under the wrong site is never served to the right one.
std::string key_of(SiteId site, ItemRef item) {
  return cache::name_key("attr", std::to_string(site.value()) + ":" + std::to_string(item_type_id(item.type)) + ":" +
                                     std::to_string(item.id));
}

std::string encode(const std::vector<Attribute>& all) {
  auto j = nlohmann::json::array();
  for (const auto& a : all) j.push_back({a.key, a.type, a.text, a.number, a.boolean});
  return j.dump();
}

std::vector<Attribute> decode(const std::string& bytes) {
  std::vector<Attribute> out;
  for (const auto& a : nlohmann::json::parse(bytes)) {
    out.push_back({a.at(0).get<std::string>(), a.at(1).get<std::string>(), a.at(2).get<std::string>(),
                   a.at(3).get<double>(), a.at(4).get<bool>()});
  }
  return out;
}

}  // namespace

void AttributeStore::register_statements(db::Statements& st) { st.add({kSelectAll, kUpsert, kDeleteOne}); }

std::vector<Attribute> AttributeStore::of(SiteId site, ItemRef item) {
  const auto key = key_of(site, item);
  if (auto hit = cache_.get(key)) {
    try {
      return decode(*hit);
    } catch (const std::exception&) {
      cache_.remove(key);
    }
  }
  auto all = db::map_rows(db::read(pool_, kSelectAll, site, item.type, item.id), attribute_from_row);
  cache_.set(key, encode(all), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return all;
}

std::optional<Attribute> AttributeStore::get(SiteId site, ItemRef item, const std::string& key) {
  for (auto& a : of(site, item)) {
    if (a.key == key) return a;
  }
  return std::nullopt;
}

void AttributeStore::set(SiteId site, ItemRef item, const Attribute& a) { set_many(site, item, {a}); }

void AttributeStore::set_many(SiteId site, ItemRef item, const std::vector<Attribute>& all) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    for (const auto& a : all) {
      // Exactly one value column is set; the others are NULL.
      auto text_if = [&](const char* t) { return a.type == t ? std::optional<std::string>(a.text) : std::nullopt; };
      db::exec(tx, kUpsert, site, item.type, item.id, a.key, a.type, text_if("string"), text_if("date"),
               a.type == "number" ? std::optional<double>(a.number) : std::nullopt,
               a.type == "boolean" ? std::optional<bool>(a.boolean) : std::nullopt);
    }
    tx.commit();
  });
  cache_.remove(key_of(site, item));
}

bool AttributeStore::remove_all(SiteId site, ItemRef item, const std::vector<std::string>& keys) {
  auto all = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    for (const auto& key : keys) {
      if (db::exec(tx, kDeleteOne, site, item.type, item.id, key).affected_rows() == 0) return false;  // rolled back
    }
    tx.commit();
    return true;
  });
  cache_.remove(key_of(site, item));
  return all;
}

bool AttributeStore::remove(SiteId site, ItemRef item, const std::string& key) {
  const bool removed = db::write(pool_, kDeleteOne, site, item.type, item.id, key).affected_rows() > 0;
  cache_.remove(key_of(site, item));
  return removed;
}

bool is_site_member(AttributeStore& attributes, SiteId site, ProfileId profile) {
  auto a = attributes.get(site, profile, member_attribute);
  return a && a->type == "boolean" && a->boolean;
}

void set_site_member(AttributeStore& attributes, SiteId site, ProfileId profile, bool member) {
  if (member) {
    attributes.set(site, profile, Attribute{member_attribute, "boolean", "", 0, true});
  } else {
    attributes.remove(site, profile, member_attribute);
  }
}

}  // namespace agora::store
