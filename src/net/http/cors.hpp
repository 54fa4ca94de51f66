// Cross-origin resource sharing (Fetch standard, "CORS protocol"): which origins may call the
// API, the headers added to their responses, and the answer to preflight requests. Disabled
// while allowed_origins is empty. "*" allows any origin; with allow_credentials the origin is
// echoed instead, because browsers reject "*" together with Access-Control-Allow-Credentials.
//   http::cors_config c{.allowed_origins = {"https://app.example"}, .allow_credentials = true};
//   http::cors_policy p(c);  if (auto o = p.allow_origin(req_origin)) ...
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hf::net::http {

struct cors_config {
  std::vector<std::string> allowed_origins;  // empty: CORS off; "*": every origin
  bool allow_credentials = false;
  std::vector<std::string> allowed_headers;  // empty: echo Access-Control-Request-Headers
  std::vector<std::string> exposed_headers;  // Access-Control-Expose-Headers on responses
  std::chrono::seconds max_age{600};         // how long browsers may cache a preflight
};

class cors_policy {
 public:
  explicit cors_policy(cors_config c);

  bool enabled() const noexcept { return !config_.allowed_origins.empty(); }
  // The Access-Control-Allow-Origin value for this Origin, or nullopt if it is not allowed.
  std::optional<std::string_view> allow_origin(std::string_view origin) const noexcept;
  // Calls add(name, value) for each field an actual (non-preflight) response to an allowed
  // origin carries: Allow-Origin, Vary, Allow-Credentials, Expose-Headers.
  template <class F>
  void response_fields(std::string_view origin, F&& add) const {
    auto allowed = allow_origin(origin);
    if (!allowed) return;
    add("Access-Control-Allow-Origin", *allowed);
    if (*allowed != "*") add("Vary", "Origin");
    if (config_.allow_credentials) add("Access-Control-Allow-Credentials", "true");
    if (!exposed_.empty()) add("Access-Control-Expose-Headers", std::string_view(exposed_));
  }
  // Fields of a 204 answer to a preflight from an allowed origin: Allow-Origin, Vary,
  // Allow-Methods (`methods`), Allow-Headers (configured, or the requested ones echoed),
  // Max-Age and Allow-Credentials.
  template <class F>
  void preflight_fields(std::string_view origin, std::string_view methods,
                        std::string_view requested_headers, F&& add) const {
    auto allowed = allow_origin(origin);
    if (!allowed) return;
    add("Access-Control-Allow-Origin", *allowed);
    add("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
    add("Access-Control-Allow-Methods", methods);
    std::string_view hdrs =
        allowed_headers_.empty() ? requested_headers : std::string_view(allowed_headers_);
    if (!hdrs.empty()) add("Access-Control-Allow-Headers", hdrs);
    add("Access-Control-Max-Age", std::string_view(max_age_));
    if (config_.allow_credentials) add("Access-Control-Allow-Credentials", "true");
  }
  const cors_config& config() const noexcept { return config_; }

 private:
  cors_config config_;
  bool any_origin_ = false;
  std::string allowed_headers_;  // joined
  std::string exposed_;          // joined
  std::string max_age_;
};

}  // namespace hf::net::http
