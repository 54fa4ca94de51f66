// Timeouts as cancel scopes, on the virtual clock (it jumps to the next deadline whenever every
// task is blocked, so a client that "stops sending" costs no real time): 408 for a slow head or
// body, quiet close of idle keep-alive connections, and the connection limit.
#include "net/http/server.hpp"

#include <gtest/gtest.h>

#include <string>

#include "http_test_support.hpp"

namespace hf::net::http::testing {
namespace {

using namespace std::chrono_literals;

class server_timeouts : public http_test {};
HF_HTTP_SUITE(server_timeouts);

TEST_P(server_timeouts, slow_head_gets_408_after_header_timeout) {
  server srv({.header_timeout = 30s});
  srv.route(method::get, "/health", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        rt::time_point t0 = rt::current_time();
        client c = co_await client::connect(port);
        co_await c.send("GET /health HTTP/1.1\r\nHost: x\r\n");  // ...and then nothing more
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 408);
        EXPECT_FALSE(r.keep_alive);
        EXPECT_TRUE(co_await c.closed_by_peer());
        EXPECT_EQ(rt::current_time() - t0, 30s);
      },
      virtual_options());
}

TEST_P(server_timeouts, header_timeout_counts_from_the_first_byte_of_a_kept_alive_request) {
  server srv({.header_timeout = 10s, .idle_timeout = 60s});
  srv.route(method::get, "/health", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /health HTTP/1.1\r\n\r\n");
        EXPECT_EQ((co_await c.read_response()).status, 200);
        co_await rt::sleep(50s);  // idle, but within idle_timeout
        rt::time_point t0 = rt::current_time();
        co_await c.send("GET /health HTTP/1.1\r\n");
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 408);
        EXPECT_EQ(rt::current_time() - t0, 10s);
      },
      virtual_options());
}

TEST_P(server_timeouts, idle_keep_alive_connection_is_closed_quietly) {
  server srv({.idle_timeout = 60s});
  srv.route(method::get, "/health", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /health HTTP/1.1\r\n\r\n");
        EXPECT_EQ((co_await c.read_response()).status, 200);
        rt::time_point t0 = rt::current_time();
        EXPECT_TRUE(co_await c.closed_by_peer());
        EXPECT_EQ(rt::current_time() - t0, 60s);
        EXPECT_TRUE(c.buffered().empty());  // no 408 for a connection that sent nothing
      },
      virtual_options());
}

TEST_P(server_timeouts, stalled_body_gets_408_after_body_timeout) {
  server srv({.body_timeout = 20s});
  srv.route(method::post, "/echo", [](exchange& ex) -> rt::task<void> {
    co_await ex.respond(response::text(ex.request().body()));
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
        rt::time_point t0 = rt::current_time();
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 408);
        EXPECT_EQ(rt::current_time() - t0, 20s);
      },
      virtual_options());
}

TEST_P(server_timeouts, connection_limit_keeps_extra_clients_waiting) {
  server srv({.max_connections = 1});
  srv.route(method::get, "/health", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client a = co_await client::connect(port);
        co_await a.send("GET /health HTTP/1.1\r\n\r\n");
        EXPECT_EQ((co_await a.read_response()).status, 200);
        client b = co_await client::connect(port);  // the kernel's backlog takes it
        co_await b.send("GET /health HTTP/1.1\r\n\r\n");
        bool answered = false;
        co_await rt::move_on_after(5s, [&]() -> rt::task<void> {
          co_await b.read_response();
          answered = true;
        });
        EXPECT_FALSE(answered);
        EXPECT_EQ(srv.connection_count(), 1u);
        a.close();
        parsed_response r = co_await b.read_response();
        EXPECT_EQ(r.status, 200);
      },
      virtual_options());
}

}  // namespace
}  // namespace hf::net::http::testing
