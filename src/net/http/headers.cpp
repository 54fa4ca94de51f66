#include "net/http/headers.hpp"

#include <algorithm>

namespace hf::net::http {
namespace {
constexpr char lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool has_token(std::string_view list, std::string_view token) noexcept {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (iequals(item, token)) return true;
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return false;
}

void header_list::add(std::string_view name, std::string_view value) {
  items_.push_back(header{std::string(name), std::string(value)});
}

void header_list::set(std::string_view name, std::string_view value) {
  auto first = std::find_if(items_.begin(), items_.end(),
                            [&](const header& h) { return iequals(h.name, name); });
  if (first == items_.end()) {
    add(name, value);
    return;
  }
  first->value.assign(value);
  items_.erase(std::remove_if(first + 1, items_.end(),
                              [&](const header& h) { return iequals(h.name, name); }),
               items_.end());
}

void header_list::remove(std::string_view name) {
  items_.erase(std::remove_if(items_.begin(), items_.end(),
                              [&](const header& h) { return iequals(h.name, name); }),
               items_.end());
}

std::optional<std::string_view> header_list::get(std::string_view name) const {
  for (const header& h : items_) {
    if (iequals(h.name, name)) return std::string_view(h.value);
  }
  return std::nullopt;
}

}  // namespace hf::net::http
