// Streaming answers and long-running routes: chunked streams, SSE framing on the wire, a
// handler that fails mid-stream, a client disconnect cancelling a long-running handler (the
// server stays healthy), and pipelined bytes read by the watcher kept for the next request.
#include "net/http/server.hpp"

#include <gtest/gtest.h>

#include <string>

#include "http_test_support.hpp"

namespace hf::net::http::testing {
namespace {

class server_stream : public http_test {};
HF_HTTP_SUITE(server_stream);

TEST_P(server_stream, chunked_stream_and_sse_framing_on_the_wire) {
  server srv;
  srv.route(method::get, "/chunks", [](exchange& ex) -> rt::task<void> {
    // A named list: GCC 12 rejects an initializer_list temporary inside a co_await expression.
    header_list h{{"Content-Type", "application/x-ndjson"}};
    co_await ex.start_stream(status::ok, std::move(h));
    co_await ex.write_chunk("{\"n\":1}\n");
    co_await ex.write_chunk("");  // sends nothing
    co_await ex.write_chunk("{\"n\":2}\n");
    co_await ex.end_stream();
  });
  srv.route(method::get, "/events", [](exchange& ex) -> rt::task<void> {
    co_await ex.send_event(R"({"delta":"a"})");
    co_await ex.send_event("line one\nline two", "multi");
    co_await ex.send_comment("ping");
    co_await ex.send_event("[DONE]");
  });  // returning ends the stream
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /chunks HTTP/1.1\r\n\r\n");
        std::string raw = co_await c.read_until("0\r\n\r\n");
        std::string head = raw.substr(0, raw.find("\r\n\r\n") + 4);
        EXPECT_NE(head.find("Transfer-Encoding: chunked\r\n"), std::string::npos);
        EXPECT_EQ(head.find("Content-Length"), std::string::npos);
        EXPECT_EQ(raw.substr(head.size()), "8\r\n{\"n\":1}\n\r\n8\r\n{\"n\":2}\n\r\n0\r\n\r\n");

        co_await c.send("GET /events HTTP/1.1\r\n\r\n");
        parsed_response r = co_await c.read_response();
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.header("content-type"), "text/event-stream");
        EXPECT_EQ(r.header("cache-control"), "no-cache");
        EXPECT_EQ(r.body,
                  "data: {\"delta\":\"a\"}\n\n"
                  "event: multi\ndata: line one\ndata: line two\n\n"
                  ": ping\n\n"
                  "data: [DONE]\n\n");
        EXPECT_TRUE(r.keep_alive);
      },
      options());
}

TEST_P(server_stream, failure_after_stream_start_cuts_the_stream) {
  server srv;
  srv.set_error_logger([](std::string_view, std::string_view) {});
  srv.route(method::get, "/bad", [](exchange& ex) -> rt::task<void> {
    co_await ex.send_event("first");
    throw std::runtime_error("generation failed");
  });
  srv.route(method::get, "/ok", respond_json("{}"));
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /bad HTTP/1.1\r\n\r\n");
        EXPECT_TRUE(co_await c.closed_by_peer());
        // The stream was never terminated: no last chunk.
        EXPECT_NE(c.buffered().find("data: first"), std::string::npos);
        EXPECT_EQ(c.buffered().find("0\r\n\r\n"), std::string::npos);
        parsed_response r = co_await fetch(port, "GET /ok HTTP/1.1\r\n\r\n");
        EXPECT_EQ(r.status, 200);
      },
      options());
}

TEST_P(server_stream, client_disconnect_cancels_a_long_running_handler) {
  server srv;
  rt::event entered;
  rt::event saw_cancel;
  bool cancelled = false;
  srv.route(method::post, "/generate",
            [&](exchange&) -> rt::task<void> {
              entered.set();
              try {
                co_await rt::sleep_forever();
              } catch (const rt::cancelled&) {
                cancelled = true;
                saw_cancel.set();
                throw;
              }
            },
            {.long_running = true});
  srv.route(method::get, "/health", respond_json(R"({"status":"ok"})"));
  std::vector<int> statuses;
  srv.set_access_logger([&](const access_log_entry& e) { statuses.push_back(e.status); });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        {
          client c = co_await client::connect(port);
          co_await c.send("POST /generate HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}");
          co_await entered.wait();
          c.close();
        }
        co_await saw_cancel.wait();
        EXPECT_TRUE(cancelled);
        parsed_response r = co_await fetch(port, "GET /health HTTP/1.1\r\n\r\n");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, R"({"status":"ok"})");
      },
      options());
  EXPECT_EQ(statuses, (std::vector<int>{499, 200}));
}

TEST_P(server_stream, bytes_read_while_a_long_handler_runs_are_the_next_request) {
  server srv;
  rt::event release;
  rt::event entered;
  srv.route(method::get, "/wait",
            [&](exchange& ex) -> rt::task<void> {
              entered.set();
              co_await release.wait();
              co_await ex.send_event("done");
            },
            {.long_running = true});
  srv.route(method::post, "/echo", [](exchange& ex) -> rt::task<void> {
    co_await ex.respond(response::text(ex.request().body()));
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await client::connect(port);
        co_await c.send("GET /wait HTTP/1.1\r\n\r\n");
        co_await entered.wait();
        // Sent while the handler runs: the watcher reads these bytes; they must not be lost.
        co_await c.send("POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nfirst");
        co_await rt::wait_all_tasks_blocked();
        co_await c.send("POST /echo HTTP/1.1\r\nContent-Length: 6\r\n\r\nsecond");
        co_await rt::wait_all_tasks_blocked();
        release.set();
        parsed_response a = co_await c.read_response();
        EXPECT_EQ(a.body, "data: done\n\n");
        parsed_response b = co_await c.read_response();
        EXPECT_EQ(b.body, "first");
        parsed_response d = co_await c.read_response();
        EXPECT_EQ(d.body, "second");
      },
      options());
}

}  // namespace
}  // namespace hf::net::http::testing
