// Header lists for responses (and helpers shared with requests): ordered name/value pairs with
// case-insensitive lookup, since HTTP field names are case-insensitive (RFC 9110 5.1).
//   http::header_list h{{"Content-Type", "application/json"}};
//   h.set("cache-control", "no-store");  if (auto v = h.get("CONTENT-TYPE")) use(*v);
#pragma once
#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hf::net::http {

// ASCII case-insensitive equality (field names, tokens).
bool iequals(std::string_view a, std::string_view b) noexcept;
// Whether the comma-separated list `list` (a header value) holds `token`, ignoring case and blanks:
// has_token("keep-alive, Upgrade", "upgrade") is true.
bool has_token(std::string_view list, std::string_view token) noexcept;

struct header {
  // Two-argument only, so that {{"Name", "value"}} reads as one field, never as two.
  header(std::string_view n, std::string_view v) : name(n), value(v) {}
  std::string name;
  std::string value;
};

class header_list {
 public:
  header_list() = default;
  header_list(std::initializer_list<header> items) : items_(items) {}

  // Appends; a name may repeat (Set-Cookie, Vary).
  void add(std::string_view name, std::string_view value);
  // Replaces every field named `name` by one with `value` (kept at the first one's position).
  void set(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  // The first value named `name`.
  std::optional<std::string_view> get(std::string_view name) const;
  bool contains(std::string_view name) const { return get(name).has_value(); }

  std::size_t size() const noexcept { return items_.size(); }
  bool empty() const noexcept { return items_.empty(); }
  void clear() noexcept { items_.clear(); }
  auto begin() const noexcept { return items_.begin(); }
  auto end() const noexcept { return items_.end(); }

 private:
  std::vector<header> items_;
};

}  // namespace hf::net::http
