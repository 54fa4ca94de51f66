// HTTP request methods as an enum (routes are keyed by it); `other` stands for any method token
// this enum does not name, whose spelling stays available as request::method_name().
//   srv.route(http::method::post, "/v1/chat/completions", handler);
//   http::method m = http::parse_method("PATCH");   // method::patch
#pragma once
#include <cstddef>
#include <string_view>

namespace hf::net::http {

enum class method : unsigned char {
  get,
  head,
  post,
  put,
  delete_,
  patch,
  options,
  connect,
  trace,
  other
};
inline constexpr std::size_t method_count = 10;

// "GET", "HEAD", ...; "OTHER" for method::other.
std::string_view to_string(method m) noexcept;
// Case-sensitive, as RFC 9110 9.1 says method tokens are.
method parse_method(std::string_view name) noexcept;

}  // namespace hf::net::http
