// HTTP status codes and their standard reason phrases (RFC 9110), as a strong enum so that handler
// code reads `http::status::not_found` rather than 404; any other code can still be cast in.
//   http::response r{.status = http::status::created};
//   std::string_view why = http::reason_phrase(http::status::payload_too_large);
#pragma once
#include <string_view>

namespace hf::net::http {

enum class status : int {
  continue_ = 100,
  switching_protocols = 101,
  ok = 200,
  created = 201,
  accepted = 202,
  no_content = 204,
  moved_permanently = 301,
  found = 302,
  not_modified = 304,
  bad_request = 400,
  unauthorized = 401,
  payment_required = 402,
  forbidden = 403,
  not_found = 404,
  method_not_allowed = 405,
  not_acceptable = 406,
  request_timeout = 408,
  conflict = 409,
  gone = 410,
  length_required = 411,
  payload_too_large = 413,
  uri_too_long = 414,
  unsupported_media_type = 415,
  expectation_failed = 417,
  unprocessable_entity = 422,
  upgrade_required = 426,
  too_many_requests = 429,
  request_header_fields_too_large = 431,
  internal_server_error = 500,
  not_implemented = 501,
  bad_gateway = 502,
  service_unavailable = 503,
  gateway_timeout = 504,
  http_version_not_supported = 505,
};

constexpr int code(status s) noexcept {
  return static_cast<int>(s);
}
// The standard phrase, or "Unknown" for a code this table does not name.
std::string_view reason_phrase(status s) noexcept;

constexpr bool is_informational(status s) noexcept {
  return code(s) >= 100 && code(s) < 200;
}
constexpr bool is_success(status s) noexcept {
  return code(s) >= 200 && code(s) < 300;
}
constexpr bool is_client_error(status s) noexcept {
  return code(s) >= 400 && code(s) < 500;
}
constexpr bool is_server_error(status s) noexcept {
  return code(s) >= 500 && code(s) < 600;
}
// 1xx, 204 and 304 responses never carry a body nor a Content-Length (RFC 9110 8.6).
constexpr bool allows_body(status s) noexcept {
  return !is_informational(s) && s != status::no_content && s != status::not_modified;
}

}  // namespace hf::net::http
