#pragma once
// Host -> site (conventions.md §2.2 with its Decisions): the bare base domain is the root
// site; `{key}.{base}` a site by subdomain; any other host a site by custom domain.
// Root reached by subdomain, deleted and unknown sites are all "unknown".

#include <optional>
#include <string>
#include <string_view>

#include "agora/api/context.hpp"

namespace agora::store {
class SiteStore;
}

namespace agora::api {

struct HostTarget {
  HostKind kind;
  std::string subdomain;  // for a subdomain host
  std::string domain;     // for a custom-domain host
};

/// Pure classification of a lower-cased host against the base domain.
HostTarget classify_host(std::string_view host, std::string_view base_domain);

/// Resolves the host to a site, or nullopt when unknown.
std::optional<std::pair<HostKind, store::Site>> resolve_host(std::string_view host, std::string_view base_domain,
                                                              store::SiteStore& sites);

}  // namespace agora::api
