// What a handler answers: status, optional reason phrase, header fields and a body. The server
// writes the framing fields itself (Content-Length, Transfer-Encoding, Connection, Date), so a
// handler never sets those; any it sets are ignored.
//   co_await ex.respond(http::response::json(R"({"status":"ok"})"));
//   http::response r{.status = http::status::created, .headers = {{"Location", "/v1/x/1"}}};
#pragma once
#include <string>
#include <string_view>

#include "net/http/headers.hpp"
#include "net/http/status.hpp"

namespace hf::net::http {

struct response {
  http::status status = http::status::ok;
  std::string reason;  // empty: the standard phrase
  header_list headers;
  std::string body;

  // Content-Type: application/json.
  static response json(std::string body, http::status s = http::status::ok);
  // Content-Type: text/plain; charset=utf-8 unless another type is given.
  static response text(std::string body, http::status s = http::status::ok,
                       std::string_view content_type = "text/plain; charset=utf-8");
  static response empty(http::status s = http::status::no_content);
};

}  // namespace hf::net::http
