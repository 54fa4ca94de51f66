// Internal: how the parser (and request::make) fill a request in place. Offsets are into the
// request's own header storage, so the request owns everything it points at.
#pragma once
#include <cstddef>
#include <string_view>

#include "net/http/request.hpp"

namespace hf::net::http::detail {

struct request_access {
  // Clears the request for the next message; keeps every buffer's capacity.
  static void reset(request& r) noexcept {
    r.raw_.clear();
    r.fields_.clear();
    r.body_.clear();
    r.path_len_ = 0;
  }
  static std::string& raw(request& r) noexcept { return r.raw_; }
  static std::string& body(request& r) noexcept { return r.body_; }
  static void start(request& r, method m, std::size_t method_off, std::size_t method_len,
                    std::size_t target_off, std::size_t target_len, int version) noexcept {
    r.method_ = m;
    r.method_name_ = {static_cast<std::uint32_t>(method_off),
                      static_cast<std::uint32_t>(method_len)};
    r.target_ = {static_cast<std::uint32_t>(target_off), static_cast<std::uint32_t>(target_len)};
    r.version_ = version;
    r.path_len_ = static_cast<std::uint32_t>(target_len);
  }
  // Called once raw_ holds the header block: finds where the path ends.
  static void finish(request& r, bool keep_alive) noexcept {
    r.keep_alive_ = keep_alive;
    std::string_view t = r.target();
    std::size_t q = t.find('?');
    r.path_len_ = static_cast<std::uint32_t>(q == std::string_view::npos ? t.size() : q);
  }
  static void add_field(request& r, std::size_t name_off, std::size_t name_len,
                        std::size_t value_off, std::size_t value_len) {
    r.fields_.push_back(
        {{static_cast<std::uint32_t>(name_off), static_cast<std::uint32_t>(name_len)},
         {static_cast<std::uint32_t>(value_off), static_cast<std::uint32_t>(value_len)}});
  }
};

}  // namespace hf::net::http::detail
