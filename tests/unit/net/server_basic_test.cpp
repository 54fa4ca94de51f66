// The server over real sockets (clients are rt tasks in the same run, port 0): answers,
// keep-alive, pipelining order, chunked request bodies, 100-continue, HEAD, 404/405, OPTIONS,
// limits (431, 413), request ids, the error renderer hook, 500s and the access log.
#include "net/http/server.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_support.hpp"

namespace hf::net::http::testing {
namespace {

class server_basic : public http_test {};
HF_HTTP_SUITE(server_basic);

TEST_P(server_basic, health_keep_alive_and_second_request_on_same_connection) {
  server srv;
  srv.route(method::get, "/health", respond_json(R"({"status":"ok"})"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        for (int i = 0; i < 3; ++i) {
          co_await c.send("GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
          parsed_response r = co_await c.read_response();
          EXPECT_EQ(r.status, 200);
          EXPECT_EQ(r.body, R"({"status":"ok"})");
          EXPECT_EQ(r.header("content-type"), "application/json");
          EXPECT_EQ(r.header("content-length"), "15");
          EXPECT_TRUE(r.header("date").has_value());
          EXPECT_TRUE(r.keep_alive);
        }
        EXPECT_EQ(srv.connection_count(), 1u);
      },
      options());
}

TEST_P(server_basic, pipelined_requests_are_answered_in_order) {
  server srv;
  // The first request is slow (it yields many times); answers must still come in order.
  srv.route(method::get, "/slow", [](exchange& ex) -> rt::task<void> {
    for (int i = 0; i < 50; ++i) co_await rt::checkpoint();
    co_await ex.respond(response::text("slow"));
  });
  srv.route(method::post, "/echo", [](exchange& ex) -> rt::task<void> {
    co_await ex.respond(response::text(ex.request().body()));
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send(
            "GET /slow HTTP/1.1\r\n\r\n"
            "POST /echo HTTP/1.1\r\nContent-Length: 3\r\n\r\none"
            "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"
            "GET /slow HTTP/1.1\r\nConnection: close\r\n\r\n");
        std::vector<std::string> bodies;
        for (int i = 0; i < 4; ++i) bodies.push_back((co_await c.read_response()).body);
        EXPECT_EQ(bodies, (std::vector<std::string>{"slow", "one", "two", "slow"}));
        EXPECT_TRUE(co_await c.closed_by_peer());
      },
      options());
}

TEST_P(server_basic, chunked_request_body_and_expect_100_continue) {
  server srv;
  srv.route(method::post, "/echo", [](exchange& ex) -> rt::task<void> {
    co_await ex.respond(response::text(ex.request().body()));
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        // The chunked body arrives in pieces.
        co_await c.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel");
        co_await rt::checkpoint();
        co_await c.send("lo\r\n6\r\n world\r\n0\r\n\r\n");
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, "hello world");

        // Expect: 100-continue: the server invites the body before the client sends it.
        co_await c.send("POST /echo HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n");
        std::string interim = co_await c.read_until("\r\n\r\n");
        EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
        co_await c.send("body");
        r = co_await c.read_response();
        EXPECT_EQ(r.body, "body");
      },
      options());
}

TEST_P(server_basic, head_sends_the_get_head_without_a_body) {
  server srv;
  srv.route(method::get, "/doc", respond_json(R"({"a":1})"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("HEAD /doc HTTP/1.1\r\n\r\n");
        parsed_response r = co_await c.read_response(/*head=*/true);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.header("content-length"), "7");
        EXPECT_TRUE(r.body.empty());
        // Nothing else was sent: the next answer on the connection parses cleanly.
        co_await c.send("GET /doc HTTP/1.1\r\n\r\n");
        r = co_await c.read_response();
        EXPECT_EQ(r.body, R"({"a":1})");
      },
      options());
}

TEST_P(server_basic, unknown_route_404_wrong_method_405_and_options) {
  server srv;
  srv.route(method::get, "/v1/models", respond_json("[]"));
  srv.route(method::post, "/v1/models", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /nope HTTP/1.1\r\n\r\n");
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.header("content-type"), "application/json");
        EXPECT_NE(r.body.find("\"code\":404"), std::string::npos);
        EXPECT_NE(r.body.find("/nope"), std::string::npos);

        co_await c.send("DELETE /v1/models HTTP/1.1\r\n\r\n");
        r = co_await c.read_response();
        EXPECT_EQ(r.status, 405);
        EXPECT_EQ(r.header("allow"), "GET, POST, HEAD");

        co_await c.send("OPTIONS /v1/models HTTP/1.1\r\n\r\n");
        r = co_await c.read_response();
        EXPECT_EQ(r.status, 204);
        EXPECT_EQ(r.header("allow"), "GET, POST, HEAD, OPTIONS");
        EXPECT_FALSE(r.header("content-length").has_value());
      },
      options());
}

TEST_P(server_basic, oversized_head_gets_431_and_oversized_body_413) {
  server srv({.max_body_bytes = 64, .max_header_bytes = 1024});
  srv.route(method::post, "/echo", [](exchange& ex) -> rt::task<void> {
    co_await ex.respond(response::text(ex.request().body()));
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        parsed_response r =
            co_await fetch(port, "GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'x') + "\r\n\r\n");
        EXPECT_EQ(r.status, 431);
        EXPECT_FALSE(r.keep_alive);

        r = co_await fetch(
            port, "POST /echo HTTP/1.1\r\nContent-Length: 65\r\n\r\n" + std::string(65, 'b'));
        EXPECT_EQ(r.status, 413);
        EXPECT_FALSE(r.keep_alive);

        // A chunked body passes the limit only while it streams in.
        client c = co_await client::connect(port);
        co_await c.send("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n28\r\n" +
                        std::string(40, 'c') + "\r\n");
        co_await c.send("28\r\n" + std::string(40, 'd') + "\r\n0\r\n\r\n");
        r = co_await c.read_response();
        EXPECT_EQ(r.status, 413);
        EXPECT_TRUE(co_await c.closed_by_peer());

        r = co_await fetch(
            port, "POST /echo HTTP/1.1\r\nContent-Length: 64\r\n\r\n" + std::string(64, 'e'));
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body.size(), 64u);

        r = co_await fetch(port, "GARBAGE\r\n\r\n");
        EXPECT_EQ(r.status, 400);
      },
      options());
}

TEST_P(server_basic, error_renderer_hook_shapes_every_server_error) {
  server srv;
  srv.route(method::get, "/x", respond_json("{}"));
  std::vector<int> rendered;
  srv.set_error_renderer([&](status s, std::string_view message) {
    rendered.push_back(code(s));
    response r = response::json(
        R"({"error":{"message":")" + std::string(message) + R"(","type":"custom"}})", s);
    r.headers.add("X-Renderer", "api");
    return r;
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        parsed_response r = co_await fetch(port, "GET /missing HTTP/1.1\r\n\r\n");
        EXPECT_EQ(r.status, 404);
        EXPECT_EQ(r.header("x-renderer"), "api");
        EXPECT_NE(r.body.find("\"type\":\"custom\""), std::string::npos);
        r = co_await fetch(port, "PUT /x HTTP/1.1\r\n\r\n");
        EXPECT_EQ(r.status, 405);
        EXPECT_EQ(r.header("x-renderer"), "api");
        EXPECT_EQ(r.header("allow"), "GET, HEAD");
      },
      options());
  EXPECT_EQ(rendered, (std::vector<int>{404, 405}));
  EXPECT_EQ(code(srv.render_error(status::bad_gateway, "m").status), 502);
}

TEST_P(server_basic, handler_exception_becomes_500_and_the_connection_lives_on) {
  server srv;
  srv.route(method::get, "/boom", [](exchange&) -> rt::task<void> {
    co_await rt::checkpoint();
    throw std::runtime_error("model exploded");
  });
  srv.route(method::get, "/silent", [](exchange&) -> rt::task<void> { co_return; });
  srv.route(method::get, "/ok", respond_json("{}"));
  std::vector<std::string> logged;
  srv.set_error_logger([&](std::string_view id, std::string_view message) {
    logged.push_back(std::string(id) + " " + std::string(message));
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /boom HTTP/1.1\r\nX-Request-Id: req-42\r\n\r\n");
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 500);
        EXPECT_EQ(r.header("x-request-id"), "req-42");
        EXPECT_EQ(r.body.find("model exploded"), std::string::npos);  // internals stay in the log
        co_await c.send("GET /silent HTTP/1.1\r\n\r\n");
        r = co_await c.read_response();
        EXPECT_EQ(r.status, 500);
        co_await c.send("GET /ok HTTP/1.1\r\n\r\n");
        r = co_await c.read_response();
        EXPECT_EQ(r.status, 200);
      },
      options());
  ASSERT_EQ(logged.size(), 2u);
  EXPECT_EQ(logged[0].rfind("req-42 ", 0), 0u);
  EXPECT_NE(logged[0].find("model exploded"), std::string::npos);
  EXPECT_NE(logged[1].find("returned without answering"), std::string::npos);
}

TEST_P(server_basic, access_log_gets_one_entry_per_request) {
  server srv;
  srv.route(method::get, "/v1/models/{id...}", [](exchange& ex) -> rt::task<void> {
    co_await ex.respond(response::text(std::string(ex.param())));
  });
  std::vector<std::string> lines;  // "sequence id method path status bytes"
  std::vector<std::uint64_t> sequences;
  srv.set_access_logger([&](const access_log_entry& e) {
    sequences.push_back(e.sequence);
    lines.push_back(std::string(e.request_id) + " " + std::string(e.method) + " " +
                    std::string(e.path) + " " + std::to_string(e.status) + " " +
                    std::to_string(e.bytes));
    EXPECT_GE(e.duration.count(), 0);
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send(
            "GET /v1/models/org/name HTTP/1.1\r\n\r\nGET /zz HTTP/1.1\r\nX-Request-Id: "
            "abc\r\n\r\n");
        parsed_response a = co_await c.read_response();
        parsed_response b = co_await c.read_response();
        EXPECT_EQ(a.body, "org/name");
        EXPECT_FALSE(a.header("x-request-id").has_value());
        EXPECT_EQ(b.status, 404);
        EXPECT_EQ(b.header("x-request-id"), "abc");
      },
      options());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_LT(sequences[0], sequences[1]);
  EXPECT_EQ(lines[0], std::to_string(sequences[0]) + " GET /v1/models/org/name 200 8");
  EXPECT_EQ(lines[1].rfind("abc GET /zz 404 ", 0), 0u);
}

}  // namespace
}  // namespace hf::net::http::testing
