#include "net/http/cors.hpp"

#include <utility>

#include "net/http/headers.hpp"

namespace hf::net::http {
namespace {
std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}
}  // namespace

cors_policy::cors_policy(cors_config c) : config_(std::move(c)) {
  for (const auto& o : config_.allowed_origins) any_origin_ = any_origin_ || o == "*";
  allowed_headers_ = join(config_.allowed_headers);
  exposed_ = join(config_.exposed_headers);
  max_age_ = std::to_string(config_.max_age.count());
}

std::optional<std::string_view> cors_policy::allow_origin(std::string_view origin) const noexcept {
  if (!enabled() || origin.empty()) return std::nullopt;
  if (any_origin_) return config_.allow_credentials ? origin : std::string_view("*");
  for (const auto& o : config_.allowed_origins) {
    // Scheme and host compare case-insensitively (RFC 6454 4).
    if (iequals(o, origin)) return origin;
  }
  return std::nullopt;
}

}  // namespace hf::net::http
