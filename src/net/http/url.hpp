// Small URL helpers for request targets: percent-decoding (RFC 3986 2.1) and query-string
// splitting ("a=1&b=x%20y", with '+' read as a space as HTML forms send it).
//   std::string id = http::percent_decode("org%2Fname");        // "org/name"
//   for (auto& [k, v] : http::parse_query("n=2&stream=true")) ...
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hf::net::http {

// Decodes %XX escapes; `plus_as_space` also turns '+' into ' ' (query strings). A malformed
// escape ("%G1", a trailing "%") is kept as it is rather than rejected.
std::string percent_decode(std::string_view s, bool plus_as_space = false);

// Every key=value pair of a query string, decoded, in order ("flag" alone gives an empty value).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);
// The decoded value of the first pair named `name`.
std::optional<std::string> find_query_param(std::string_view query, std::string_view name);

}  // namespace hf::net::http
