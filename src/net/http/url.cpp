#include "net/http/url.hpp"

namespace hf::net::http {
namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Calls fn(raw_key, raw_value) for each '&'-separated pair; stops early when fn returns true.
template <class F>
void for_each_pair(std::string_view query, F&& fn) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      std::string_view key = pair.substr(0, eq);
      std::string_view value =
          eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
      if (fn(key, value)) return;
    }
    if (amp == std::string_view::npos) return;
    query.remove_prefix(amp + 1);
  }
}
}  // namespace

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_as_space && c == '+' ? ' ' : c);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  for_each_pair(query, [&](std::string_view k, std::string_view v) {
    out.emplace_back(percent_decode(k, true), percent_decode(v, true));
    return false;
  });
  return out;
}

std::optional<std::string> find_query_param(std::string_view query, std::string_view name) {
  std::optional<std::string> found;
  for_each_pair(query, [&](std::string_view k, std::string_view v) {
    if (percent_decode(k, true) != name) return false;
    found = percent_decode(v, true);
    return true;
  });
  return found;
}

}  // namespace hf::net::http
