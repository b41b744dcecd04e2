#include "agora/api/host_resolver.hpp"

#include "agora/store/site_store.hpp"

namespace agora::api {

HostTarget classify_host(std::string_view host, std::string_view base) {
  if (host == base) return {HostKind::root, "", ""};
  if (host.size() > base.size() + 1 && host.substr(host.size() - base.size()) == base &&
      host[host.size() - base.size() - 1] == '.') {
    auto label = host.substr(0, host.size() - base.size() - 1);
    if (label.find('.') == std::string_view::npos) return {HostKind::site, std::string(label), ""};
  }
  return {HostKind::site, "", std::string(host)};
}

std::optional<std::pair<HostKind, store::Site>> resolve_host(std::string_view host, std::string_view base,
                                                              store::SiteStore& sites) {
  if (host.empty()) return std::nullopt;
  auto target = classify_host(host, base);
  std::optional<SiteId> id;
  if (target.kind == HostKind::root) {
    id = root_site_id;
  } else {
    id = target.subdomain.empty() ? sites.find_by_domain(target.domain) : sites.find_by_subdomain(target.subdomain);
    if (id && *id == root_site_id) return std::nullopt;
  }
  if (!id) return std::nullopt;
  auto site = sites.get(*id);
  if (!site || site->deleted) return std::nullopt;
  return std::make_pair(target.kind, std::move(*site));
}

}  // namespace agora::api
