#include "net/http/response.hpp"

#include <utility>

namespace hf::net::http {

response response::json(std::string body, http::status s) {
  response r;
  r.status = s;
  r.headers.add("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

response response::text(std::string body, http::status s, std::string_view content_type) {
  response r;
  r.status = s;
  r.headers.add("Content-Type", content_type);
  r.body = std::move(body);
  return r;
}

response response::empty(http::status s) {
  response r;
  r.status = s;
  return r;
}

}  // namespace hf::net::http
