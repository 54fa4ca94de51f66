// CORS over the wire: preflights answered by the server (204, methods, echoed request headers,
// max age), allowed origins on actual responses with Vary: Origin, the credentials rule (never
// "*" with Allow-Credentials), refused origins, and WebSocket handshakes from refused origins.
#include "net/http/server.hpp"

#include <gtest/gtest.h>

#include "http_test_support.hpp"

namespace hf::net::http::testing {
namespace {

class server_cors : public http_test {};
HF_HTTP_SUITE(server_cors);

TEST_P(server_cors, preflight_is_answered_for_an_allowed_origin) {
  server srv(
      {.cors = {.allowed_origins = {"https://app.example"}, .max_age = std::chrono::seconds(300)}});
  srv.route(method::post, "/v1/chat/completions", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        parsed_response r = co_await fetch(
            port,
            "OPTIONS /v1/chat/completions HTTP/1.1\r\nOrigin: https://app.example\r\n"
            "Access-Control-Request-Method: POST\r\n"
            "Access-Control-Request-Headers: authorization, content-type\r\n\r\n");
        EXPECT_EQ(r.status, 204);
        EXPECT_EQ(r.header("access-control-allow-origin"), "https://app.example");
        EXPECT_EQ(r.count("access-control-allow-origin"), 1);
        EXPECT_EQ(r.count("vary"), 1);
        EXPECT_EQ(r.header("access-control-allow-methods"), "POST, OPTIONS");
        EXPECT_EQ(r.header("access-control-allow-headers"), "authorization, content-type");
        EXPECT_EQ(r.header("access-control-max-age"), "300");
        EXPECT_FALSE(r.header("access-control-allow-credentials").has_value());
        EXPECT_NE(r.header("vary").value_or("").find("Origin"), std::string::npos);

        r = co_await fetch(
            port,
            "OPTIONS /v1/chat/completions HTTP/1.1\r\nOrigin: https://evil.example\r\n"
            "Access-Control-Request-Method: POST\r\n\r\n");
        EXPECT_EQ(r.status, 403);
        EXPECT_FALSE(r.header("access-control-allow-origin").has_value());

        r = co_await fetch(port,
                           "OPTIONS /nowhere HTTP/1.1\r\nOrigin: https://app.example\r\n"
                           "Access-Control-Request-Method: POST\r\n\r\n");
        EXPECT_EQ(r.status, 404);
      },
      options());
}

TEST_P(server_cors, actual_requests_carry_allow_origin_only_for_allowed_origins) {
  server srv(
      {.cors = {.allowed_origins = {"https://app.example"}, .exposed_headers = {"X-Request-Id"}}});
  srv.route(method::get, "/v1/models", respond_json("[]"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        parsed_response r =
            co_await fetch(port, "GET /v1/models HTTP/1.1\r\nOrigin: https://app.example\r\n\r\n");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.header("access-control-allow-origin"), "https://app.example");
        EXPECT_EQ(r.header("vary"), "Origin");
        EXPECT_EQ(r.header("access-control-expose-headers"), "X-Request-Id");
        r = co_await fetch(port, "GET /v1/models HTTP/1.1\r\nOrigin: https://evil.example\r\n\r\n");
        EXPECT_EQ(r.status, 200);
        EXPECT_FALSE(r.header("access-control-allow-origin").has_value());
        r = co_await fetch(port, "GET /v1/models HTTP/1.1\r\n\r\n");
        EXPECT_FALSE(r.header("access-control-allow-origin").has_value());
        // Error answers carry the CORS fields too, so browsers can read them.
        r = co_await fetch(port, "GET /missing HTTP/1.1\r\nOrigin: https://app.example\r\n\r\n");
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.header("access-control-allow-origin"), "https://app.example");
      },
      options());
}

TEST_P(server_cors, wildcard_with_credentials_echoes_the_origin_never_star) {
  server srv({.cors = {.allowed_origins = {"*"}, .allow_credentials = true}});
  srv.route(method::get, "/v1/models", respond_json("[]"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        parsed_response r =
            co_await fetch(port, "GET /v1/models HTTP/1.1\r\nOrigin: https://x.example\r\n\r\n");
        EXPECT_EQ(r.header("access-control-allow-origin"), "https://x.example");
        EXPECT_EQ(r.header("access-control-allow-credentials"), "true");
        EXPECT_EQ(r.header("vary"), "Origin");
        r = co_await fetch(port,
                           "OPTIONS /v1/models HTTP/1.1\r\nOrigin: https://y.example\r\n"
                           "Access-Control-Request-Method: GET\r\n\r\n");
        EXPECT_EQ(r.status, 204);
        EXPECT_EQ(r.header("access-control-allow-origin"), "https://y.example");
        EXPECT_EQ(r.header("access-control-allow-credentials"), "true");
        EXPECT_EQ(r.count("access-control-allow-credentials"), 1);
        EXPECT_EQ(r.header("access-control-allow-methods"), "GET, HEAD, OPTIONS");
      },
      options());

  server plain({.cors = {.allowed_origins = {"*"}}});
  plain.route(method::get, "/v1/models", respond_json("[]"));
  with_server(
      plain,
      [&](std::uint16_t port) -> rt::task<void> {
        parsed_response r =
            co_await fetch(port, "GET /v1/models HTTP/1.1\r\nOrigin: https://x.example\r\n\r\n");
        EXPECT_EQ(r.header("access-control-allow-origin"), "*");
        EXPECT_FALSE(r.header("access-control-allow-credentials").has_value());
        EXPECT_FALSE(r.header("vary").has_value());
      },
      options());
}

}  // namespace
}  // namespace hf::net::http::testing
