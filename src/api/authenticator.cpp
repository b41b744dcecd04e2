#include "agora/api/authenticator.hpp"

#include "agora/auth/token_service.hpp"
#include "agora/core/error.hpp"
#include "agora/core/time_format.hpp"
#include "agora/http/method.hpp"
#include "agora/store/ban_store.hpp"
#include "agora/store/profile_store.hpp"

namespace agora::api {

void Authenticator::identify(Context& ctx, const http::Request& request) const {
  std::string token;
  if (auto header = request.header("authorization")) {
    auto space = header->find(' ');
    if (space == std::string_view::npos || header->substr(0, space) != "Bearer" ||
        header->find(' ', space + 1) != std::string_view::npos || space + 1 == header->size()) {
      throw Error(ErrorKind::unauthorised, "Invalid access token: send 'Authorization: Bearer {token}'");
    }
    token = std::string(header->substr(space + 1));
  } else if (auto query = request.query_param("access_token")) {
    // Query tokens end up in proxy logs and browser history: reads only, plus the web
    // client's `POST /auth/{token}?method=DELETE` logout (identity.md §2.3).
    using http::Method;
    const auto m = http::parse_method(request.method);
    if (m != Method::get && m != Method::head && m != Method::del && m != Method::options) {
      throw Error(ErrorKind::unauthorised,
                  "access_token in the query string is accepted on GET only; send 'Authorization: Bearer {token}'");
    }
    token = std::string(*query);
  } else {
    return;  // a guest
  }
  if (!ctx.site) throw Error(ErrorKind::unauthorised, "Invalid (bad or expired) access token");
  auto grant = tokens_.authenticate(token, ctx.site->id);
  if (!grant) throw Error(ErrorKind::unauthorised, "Invalid (bad or expired) access token");
  auto profile = profiles_.get_or_create(ctx.site->id, grant->user);
  // last_active is refreshed at most once a minute, so reads stay reads.
  constexpr std::int64_t touch_interval_micros = 60'000'000;
  if (now_micros() - profile.last_active_micros > touch_interval_micros) profiles_.touch(ctx.site->id, profile.id);
  ctx.user = grant->user;
  ctx.caller = profile.id;
  ctx.profile = std::move(profile);
  ctx.token = std::move(token);
  ctx.ban = bans_.active(ctx.site->id, grant->user);
}

}  // namespace agora::api
