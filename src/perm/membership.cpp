#include "agora/perm/membership.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "agora/core/text.hpp"

namespace agora::perm {
namespace {

std::optional<double> to_number(std::string_view s) {
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

bool compare_numbers(double actual, std::string_view predicate, double wanted) {
  if (predicate == "eq") return actual == wanted;
  if (predicate == "ne") return actual != wanted;
  if (predicate == "lt") return actual < wanted;
  if (predicate == "le") return actual <= wanted;
  if (predicate == "gt") return actual > wanted;
  if (predicate == "ge") return actual >= wanted;
  return false;
}

bool contains_ci(const std::string& haystack, const std::string& needle) {
  return to_lower(haystack).find(to_lower(needle)) != std::string::npos;
}

/// String tests; `exact` = case-sensitive equality (attributes), else case-insensitive (columns).
bool compare_strings(const std::string& actual, std::string_view predicate, const std::string& wanted, bool exact) {
  const bool equal = exact ? actual == wanted : iequals(actual, wanted);
  if (predicate == "eq") return equal;
  if (predicate == "ne") return !equal;
  if (predicate == "substr") return contains_ci(actual, wanted);
  if (predicate == "nsubstr") return !contains_ci(actual, wanted);
  return false;
}

bool compare_bools(bool actual, std::string_view predicate, std::string_view wanted) {
  const bool w = wanted == "true";
  if (predicate == "eq") return actual == w;
  if (predicate == "ne") return actual != w;
  return false;
}

bool column_matches(const store::Criterion& c, const MemberFacts& f, std::int64_t now) {
  const auto& col = c.profile_column;
  auto number = [&](double actual) {
    auto wanted = to_number(c.value);
    return wanted && compare_numbers(actual, c.predicate, *wanted);
  };
  if (col == "id") return number(static_cast<double>(f.id.value()));
  if (col == "itemCount") return number(static_cast<double>(f.item_count));
  if (col == "commentCount") return number(static_cast<double>(f.comment_count));
  if (col == "created") {
    const auto days = (now - f.created_micros) / (86'400LL * 1'000'000);
    return number(static_cast<double>(days));
  }
  if (col == "profileName") return compare_strings(f.name, c.predicate, c.value, false);
  if (col == "gender") return compare_strings(f.gender, c.predicate, c.value, false);
  if (col == "email") return compare_strings(f.email, c.predicate, c.value, false);
  if (col == "isBanned") return compare_bools(f.banned, c.predicate, c.value);
  return false;
}

bool attribute_matches(const store::Criterion& c, const MemberFacts& f) {
  auto it = std::find_if(f.attributes.begin(), f.attributes.end(),
                         [&](const store::Attribute& a) { return a.key == c.attr_key; });
  if (it == f.attributes.end()) {
    // An absent attribute differs from every value.
    return c.predicate == "ne" || c.predicate == "nsubstr";
  }
  if (c.value_type == "boolean") return it->type == "boolean" && compare_bools(it->boolean, c.predicate, c.value);
  if (c.value_type == "number") {
    auto wanted = to_number(c.value);
    return it->type == "number" && wanted && compare_numbers(it->number, c.predicate, *wanted);
  }
  if (it->type != "string" && it->type != "date") return c.predicate == "ne" || c.predicate == "nsubstr";
  return compare_strings(it->text, c.predicate, c.value, true);
}

}  // namespace

std::vector<const store::Role*> applicable_roles(const std::vector<MicrocosmId>& path,
                                                 const std::map<MicrocosmId, std::vector<store::Role>>& defined) {
  std::vector<const store::Role*> out;
  bool regular_found = false;
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    auto roles = defined.find(*it);
    if (roles == defined.end()) continue;
    const bool has_regular = std::any_of(roles->second.begin(), roles->second.end(),
                                         [](const store::Role& r) { return !r.special(); });
    for (const auto& r : roles->second) {
      if (r.special() || (!regular_found && has_regular)) out.push_back(&r);
    }
    regular_found = regular_found || has_regular;
  }
  return out;
}

bool criterion_matches(const store::Criterion& c, const MemberFacts& f, std::int64_t now) {
  if (!c.profile_column.empty()) return column_matches(c, f, now);
  if (!c.attr_key.empty()) return attribute_matches(c, f);
  return false;
}

bool criteria_match(const std::vector<store::Criterion>& criteria, const MemberFacts& f, std::int64_t now) {
  std::set<std::int64_t> groups;
  for (const auto& c : criteria) groups.insert(c.or_group);
  for (auto g : groups) {
    bool all = true;
    for (const auto& c : criteria) {
      if (c.or_group == g && !criterion_matches(c, f, now)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

bool is_member(const store::Role& role, const MemberFacts* f, std::int64_t now) {
  if (!f) return role.f.include_guests;
  if (role.f.include_users) return true;
  if (std::find(f->explicit_roles.begin(), f->explicit_roles.end(), role.id) != f->explicit_roles.end()) return true;
  return !role.criteria.empty() && criteria_match(role.criteria, *f, now);
}

RoleGrant grant_of(const std::vector<const store::Role*>& roles, const MemberFacts* f, std::int64_t now) {
  RoleGrant g;
  for (const auto* r : roles) {
    if (!is_member(*r, f, now)) continue;
    g.create |= r->f.create;
    g.read |= r->f.read;
    g.update |= r->f.update;
    g.del |= r->f.del;
    g.close_own |= r->f.close_own;
    g.open_own |= r->f.open_own;
    g.read_others |= r->f.read_others;
    g.moderator |= r->f.moderator;
    g.banned |= r->f.banned;
  }
  return g;
}

bool criteria_need_email(const std::vector<const store::Role*>& roles) {
  for (const auto* r : roles) {
    for (const auto& c : r->criteria) {
      if (c.profile_column == "email") return true;
    }
  }
  return false;
}

}  // namespace agora::perm
