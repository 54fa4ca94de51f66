// An HTTP/1.x request as handlers see it. The server reuses one request object per connection and
// fills it in place (the header block is copied once into owned storage, fields are offsets into
// it), so parsing allocates nothing in steady state and the request stays valid for as long as
// the handler runs, whatever the connection reads meanwhile.
//   if (req.method() == http::method::post && req.header("content-type") == "application/json")
//     auto j = nlohmann::json::parse(req.body());
//   std::optional<std::string> n = req.query_param("limit");
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http/headers.hpp"
#include "net/http/method.hpp"

namespace hf::net::http {

namespace detail {
struct request_access;
}

class request {
 public:
  request() = default;
  // Builds a request from its parts, as the parser would (handler tests, internal forwarding).
  static request make(std::string_view method_name, std::string_view target,
                      const header_list& headers = {}, std::string body = {}, int version = 11);

  http::method method() const noexcept { return method_; }
  std::string_view method_name() const noexcept { return view(method_name_); }
  // The request-target as sent ("/v1/models?limit=2"), and its two parts, still percent-encoded.
  std::string_view target() const noexcept { return view(target_); }
  std::string_view path() const noexcept { return target().substr(0, path_len_); }
  std::string_view query() const noexcept;
  // Decoded query parameters ('+' read as a space).
  std::optional<std::string> query_param(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> query_params() const;
  // 10 for HTTP/1.0, 11 for HTTP/1.1.
  int version() const noexcept { return version_; }

  // The first field named `name` (case-insensitive), without surrounding blanks.
  std::optional<std::string_view> header(std::string_view name) const noexcept;
  std::size_t header_count() const noexcept { return fields_.size(); }
  // Field i as (name as sent, value), in the order received.
  std::pair<std::string_view, std::string_view> header_at(std::size_t i) const noexcept {
    return {view(fields_[i].first), view(fields_[i].second)};
  }

  // The body, de-chunked. Non-const so that a handler may move it out.
  const std::string& body() const noexcept { return body_; }
  std::string& body() noexcept { return body_; }

  // Whether the client wants the connection kept open (HTTP/1.1 unless "Connection: close";
  // HTTP/1.0 only with "Connection: keep-alive").
  bool keep_alive() const noexcept { return keep_alive_; }

 private:
  friend struct detail::request_access;
  struct span_ref {
    std::uint32_t off = 0;
    std::uint32_t len = 0;
  };
  std::string_view view(span_ref r) const noexcept { return {raw_.data() + r.off, r.len}; }

  std::string raw_;  // the header block as received (or as make() composed it)
  span_ref method_name_;
  span_ref target_;
  std::uint32_t path_len_ = 0;
  std::vector<std::pair<span_ref, span_ref>> fields_;
  http::method method_ = http::method::get;
  int version_ = 11;
  bool keep_alive_ = true;
  std::string body_;
};

}  // namespace hf::net::http
