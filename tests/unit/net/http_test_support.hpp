// Test support for the HTTP server: a server run inside rt::run with clients as rt tasks in the
// same run (rt::tcp_connect to the port serve() reports), and a small client that writes raw
// bytes and reads responses with Beast's response parser (chunked bodies decoded).
#pragma once
#include <gtest/gtest.h>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/http/exchange.hpp"
#include "net/http/server.hpp"
#include "runtime/net/tcp.hpp"
#include "runtime/runtime.hpp"

namespace hf::net::http::testing {

// gtest's ASSERT_* return, which coroutines may not: fail the test and leave the coroutine.
#define CO_ASSERT(cond)                            \
  do {                                             \
    if (!(cond)) {                                 \
      ADD_FAILURE() << "assertion failed: " #cond; \
      co_return;                                   \
    }                                              \
  } while (0)

struct parsed_response {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;
  std::optional<std::string> header(std::string_view name) const {
    for (auto& [n, v] : headers) {
      if (iequals(n, name)) return v;
    }
    return std::nullopt;
  }
  int count(std::string_view name) const {
    int n = 0;
    for (auto& h : headers) n += iequals(h.first, name) ? 1 : 0;
    return n;
  }
};

class client {
 public:
  static rt::task<client> connect(std::uint16_t port) {
    client c;
    c.sock_ = std::make_unique<rt::tcp_stream>(co_await rt::tcp_connect("127.0.0.1", port));
    co_return c;
  }
  rt::task<void> send(std::string_view raw) { co_await sock_->send_all(raw); }
  // Reads one response (the rest of what arrived stays buffered). head: a response to HEAD.
  rt::task<parsed_response> read_response(bool head = false) {
    namespace bh = boost::beast::http;
    bh::response_parser<bh::string_body> p;
    p.body_limit(1u << 30);
    p.skip(head);
    for (;;) {
      if (!buf_.empty()) {
        boost::beast::error_code ec;
        std::size_t used = p.put(boost::asio::const_buffer(buf_.data(), buf_.size()), ec);
        buf_.erase(0, used);
        if (ec && ec != bh::error::need_more)
          throw std::runtime_error("bad response: " + ec.message());
        if (p.is_done()) break;
        if (used > 0 && !buf_.empty()) continue;
      }
      co_await fill();
    }
    parsed_response r;
    auto& m = p.get();
    r.status = static_cast<int>(m.result_int());
    r.reason = std::string(m.reason());
    for (auto& f : m) r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
    r.body = m.body();
    r.keep_alive = m.keep_alive();
    co_return r;
  }
  // Reads raw bytes until `marker` has arrived; returns everything up to and including it.
  rt::task<std::string> read_until(std::string_view marker) {
    for (;;) {
      if (auto at = buf_.find(marker); at != std::string::npos) {
        std::string out = buf_.substr(0, at + marker.size());
        buf_.erase(0, at + marker.size());
        co_return out;
      }
      co_await fill();
    }
  }
  // True once the server has closed the connection (EOF or reset), after reading everything.
  rt::task<bool> closed_by_peer() {
    try {
      for (;;) co_await fill();
    } catch (const rt::end_of_stream&) {
      co_return true;
    } catch (const rt::broken_resource_error&) {
      co_return true;
    }
  }
  std::string& buffered() { return buf_; }
  rt::tcp_stream& stream() { return *sock_; }
  void close() { sock_->close(); }

  rt::task<void> fill() {
    char tmp[8192];
    std::size_t n = co_await sock_->receive(std::as_writable_bytes(std::span(tmp)));
    buf_.append(tmp, n);
  }

 private:
  std::unique_ptr<rt::tcp_stream> sock_;
  std::string buf_;
};

// One request per connection, "Connection: close"-free; returns the response.
inline rt::task<parsed_response> fetch(std::uint16_t port, std::string raw, bool head = false) {
  client c = co_await client::connect(port);
  co_await c.send(raw);
  co_return co_await c.read_response(head);
}

// Runs srv.serve() and body(port) in one rt::run; cancels the server when body returns.
template <class F>
void with_server(server& srv, F body, rt::run_options options = {}) {
  rt::run(
      [&]() -> rt::task<void> {
        co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
          std::uint16_t port = co_await tg.start<std::uint16_t>(
              [&](rt::task_status<std::uint16_t>& st) { return srv.serve(st); });
          co_await body(port);
          tg.cancel();
        });
      },
      std::move(options));
}

// Test suites run once per I/O backend.
class http_test : public ::testing::TestWithParam<std::string> {
 protected:
  rt::run_options options() const { return {.backend = GetParam()}; }
  rt::run_options virtual_options() {
    clock_ = std::make_shared<rt::virtual_clock>(/*autojump=*/true);
    return {.backend = GetParam(), .clock = clock_};
  }
  std::shared_ptr<rt::virtual_clock> clock_;
};

#define HF_HTTP_SUITE(suite) \
  INSTANTIATE_TEST_SUITE_P(backends, suite, ::testing::Values("epoll", "io_uring"))

inline handler respond_json(std::string body) {
  return [body](exchange& ex) -> rt::task<void> { co_await ex.respond(response::json(body)); };
}

}  // namespace hf::net::http::testing
