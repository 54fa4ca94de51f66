#include "net/http/method.hpp"

#include <array>

namespace hf::net::http {
namespace {
constexpr std::array<std::string_view, method_count> names = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE", "OTHER"};
}

std::string_view to_string(method m) noexcept {
  return names[static_cast<std::size_t>(m)];
}

method parse_method(std::string_view name) noexcept {
  for (std::size_t i = 0; i + 1 < method_count; ++i) {
    if (names[i] == name) return static_cast<method>(i);
  }
  return method::other;
}

}  // namespace hf::net::http
