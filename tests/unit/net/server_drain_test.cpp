// Two-stage shutdown: drain() stops accepting, closes idle keep-alive connections at once, lets
// requests in flight finish (answered with Connection: close) and returns when serve() has;
// past the budget the rest is cancelled. stop_accepting() alone leaves connections running.
#include "net/http/server.hpp"

#include <gtest/gtest.h>

#include <system_error>

#include "http_test_support.hpp"

namespace hf::net::http::testing {
namespace {

using namespace std::chrono_literals;

class server_drain : public http_test {};
HF_HTTP_SUITE(server_drain);

TEST_P(server_drain, in_flight_requests_finish_and_idle_connections_close) {
  server srv;
  rt::event entered;
  srv.route(method::get, "/work", [&](exchange& ex) -> rt::task<void> {
    entered.set();
    co_await rt::sleep(3s);  // finishes inside the budget
    co_await ex.respond(response::text("finished"));
  });
  srv.route(method::get, "/health", respond_json("{}"));
  bool serve_returned = false;
  rt::run(
      [&]() -> rt::task<void> {
        co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
          std::uint16_t port = co_await tg.start<std::uint16_t>(
              [&](rt::task_status<std::uint16_t>& st) -> rt::task<void> {
                co_await srv.serve(st);
                serve_returned = true;
              });
          client idle = co_await client::connect(port);
          co_await idle.send("GET /health HTTP/1.1\r\n\r\n");
          EXPECT_EQ((co_await idle.read_response()).status, 200);
          client busy = co_await client::connect(port);
          co_await busy.send("GET /work HTTP/1.1\r\n\r\n");
          co_await entered.wait();
          EXPECT_EQ(srv.connection_count(), 2u);

          rt::time_point t0 = rt::current_time();
          tg.start_soon([&]() -> rt::task<void> {
            EXPECT_TRUE(co_await idle.closed_by_peer());
            EXPECT_EQ(rt::current_time(), t0);  // closed at once, not after a timeout
            parsed_response r = co_await busy.read_response();
            EXPECT_EQ(r.status, 200);
            EXPECT_EQ(r.body, "finished");
            EXPECT_FALSE(r.keep_alive);
          });
          co_await srv.drain(10s);
          EXPECT_TRUE(serve_returned);
          EXPECT_EQ(rt::current_time() - t0, 3s);
          EXPECT_EQ(srv.connection_count(), 0u);
          // New clients are refused: nothing listens any more.
          bool refused = false;
          try {
            co_await rt::tcp_connect("127.0.0.1", port);
          } catch (const std::system_error&) {
            refused = true;
          }
          EXPECT_TRUE(refused);
        });
      },
      virtual_options());
  EXPECT_TRUE(serve_returned);
}

TEST_P(server_drain, budget_exhausted_cancels_what_is_left) {
  server srv;
  rt::event entered;
  bool cancelled = false;
  srv.route(method::get, "/forever",
            [&](exchange&) -> rt::task<void> {
              entered.set();
              try {
                co_await rt::sleep_forever();
              } catch (const rt::cancelled&) {
                cancelled = true;
                throw;
              }
            },
            {.long_running = true});
  rt::run(
      [&]() -> rt::task<void> {
        co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
          std::uint16_t port = co_await tg.start<std::uint16_t>(
              [&](rt::task_status<std::uint16_t>& st) { return srv.serve(st); });
          client c = co_await client::connect(port);
          co_await c.send("GET /forever HTTP/1.1\r\n\r\n");
          co_await entered.wait();
          rt::time_point t0 = rt::current_time();
          co_await srv.drain(5s);
          EXPECT_EQ(rt::current_time() - t0, 5s);
          EXPECT_TRUE(cancelled);
          EXPECT_TRUE(co_await c.closed_by_peer());
        });
      },
      virtual_options());
}

TEST_P(server_drain, stop_accepting_keeps_existing_connections) {
  server srv;
  srv.route(method::get, "/health", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /health HTTP/1.1\r\n\r\n");
        EXPECT_EQ((co_await c.read_response()).status, 200);
        srv.stop_accepting();
        co_await c.send("GET /health HTTP/1.1\r\n\r\n");
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 200);
        EXPECT_TRUE(r.keep_alive);
      },
      options());
}

}  // namespace
}  // namespace hf::net::http::testing
