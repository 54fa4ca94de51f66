// WebSocket routes end to end: the upgrade handshake (RFC 6455's sample key), echo of text and
// binary messages, ping answered with pong, a fragmented message with a ping in between, the
// close handshake from either side, and protocol errors (unmasked frames, oversized messages,
// invalid UTF-8) closing with the right codes.
#include "net/http/websocket.hpp"

#include <gtest/gtest.h>

#include <string>

#include "http_test_support.hpp"
#include "net/http/websocket_frame.hpp"

namespace hf::net::http::testing {
namespace {

constexpr std::string_view upgrade_request =
    "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

// A client frame: masked (unless told otherwise), as RFC 6455 requires of clients.
std::string client_frame(ws::opcode op, std::string_view payload, bool fin = true,
                         bool masked = true) {
  std::string out;
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<int>(op)));
  const unsigned char mask[4] = {0x12, 0x34, 0x56, 0x78};
  std::size_t n = payload.size();
  unsigned char mbit = masked ? 0x80 : 0;
  if (n < 126) {
    out.push_back(static_cast<char>(mbit | n));
  } else {
    out.push_back(static_cast<char>(mbit | 126));
    out.push_back(static_cast<char>(n >> 8));
    out.push_back(static_cast<char>(n & 0xFF));
  }
  if (masked) out.append(reinterpret_cast<const char*>(mask), 4);
  std::string body(payload);
  if (masked) ws::unmask(body.data(), body.size(), mask, 0);  // XOR both ways
  return out + body;
}

std::string close_payload(std::uint16_t code, std::string_view reason = {}) {
  std::string p;
  p.push_back(static_cast<char>(code >> 8));
  p.push_back(static_cast<char>(code & 0xFF));
  return p.append(reason);
}

struct frame {
  std::uint8_t op = 0;
  bool fin = false;
  std::string payload;
  std::uint16_t close_code() const {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
  }
};

rt::task<frame> read_frame(client& c) {
  for (;;) {
    if (auto h = ws::parse_frame_header(c.buffered())) {
      if (c.buffered().size() >= h->size + h->payload_length) {
        EXPECT_FALSE(h->masked);  // server frames are never masked
        frame f{h->op, h->fin, c.buffered().substr(h->size, h->payload_length)};
        c.buffered().erase(0, h->size + h->payload_length);
        co_return f;
      }
    }
    co_await c.fill();
  }
}

rt::task<client> open_ws(std::uint16_t port) {
  client c = co_await client::connect(port);
  co_await c.send(upgrade_request);
  std::string head = co_await c.read_until("\r\n\r\n");
  EXPECT_EQ(head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"), std::string::npos);
  EXPECT_NE(head.find("Upgrade: websocket\r\n"), std::string::npos);
  co_return c;
}

class websocket_e2e : public http_test {
 protected:
  // An echo endpoint that records how the session closed.
  void add_echo(server& srv) {
    srv.websocket("/ws", [this](websocket& ws, const request& req) -> rt::task<void> {
      EXPECT_EQ(req.path(), "/ws");
      while (auto msg = co_await ws.receive()) {
        if (msg->binary) {
          co_await ws.send_binary(msg->data);
        } else {
          co_await ws.send_text(msg->data);
        }
      }
      closed_with = ws.close_code().value_or(0);
    });
  }
  std::uint16_t closed_with = 0;
};
HF_HTTP_SUITE(websocket_e2e);

TEST_P(websocket_e2e, echo_ping_fragments_and_client_close) {
  server srv;
  add_echo(srv);
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await open_ws(port);
        co_await c.send(client_frame(ws::opcode::text, "hello"));
        frame f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0x1);
        EXPECT_TRUE(f.fin);
        EXPECT_EQ(f.payload, "hello");

        co_await c.send(client_frame(ws::opcode::ping, "p1"));
        f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0xA);
        EXPECT_EQ(f.payload, "p1");

        // A fragmented message with a ping between its fragments.
        co_await c.send(client_frame(ws::opcode::text, "Hel", /*fin=*/false) +
                        client_frame(ws::opcode::ping, "mid") +
                        client_frame(ws::opcode::continuation, "lo ", /*fin=*/false));
        co_await c.send(client_frame(ws::opcode::continuation, "world"));
        f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0xA);
        EXPECT_EQ(f.payload, "mid");
        f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0x1);
        EXPECT_EQ(f.payload, "Hello world");

        std::string big(70000, 'z');
        big[0] = '\0';
        co_await c.send(client_frame(ws::opcode::binary, std::string(300, 'b')));
        f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0x2);
        EXPECT_EQ(f.payload, std::string(300, 'b'));

        co_await c.send(client_frame(ws::opcode::close, close_payload(1000, "bye")));
        f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0x8);
        EXPECT_EQ(f.close_code(), 1000);
        EXPECT_TRUE(co_await c.closed_by_peer());
      },
      options());
  EXPECT_EQ(closed_with, 1000);
}

TEST_P(websocket_e2e, server_side_close_handshake) {
  server srv;
  srv.websocket("/ws", [](websocket& ws, const request&) -> rt::task<void> {
    co_await ws.send_text("welcome");
    co_await ws.close(4001, "done here");
    EXPECT_FALSE(ws.is_open());
    EXPECT_EQ(ws.close_code(), 4001);
    EXPECT_THROW(co_await ws.send_text("late"), rt::closed_resource_error);
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await open_ws(port);
        frame f = co_await read_frame(c);
        EXPECT_EQ(f.payload, "welcome");
        f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0x8);
        EXPECT_EQ(f.close_code(), 4001);
        EXPECT_EQ(f.payload.substr(2), "done here");
        co_await c.send(client_frame(ws::opcode::close, close_payload(4001)));
        EXPECT_TRUE(co_await c.closed_by_peer());
      },
      options());
}

TEST_P(websocket_e2e, protocol_errors_close_with_their_codes) {
  server srv({.websocket = {.max_message_bytes = 16}});
  add_echo(srv);
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        struct bad_case {
          std::string bytes;
          std::uint16_t code;
        };
        std::vector<bad_case> cases = {
            {client_frame(ws::opcode::text, "unmasked", true, /*masked=*/false), 1002},
            {client_frame(ws::opcode::text, std::string(17, 'x')), 1009},
            {client_frame(ws::opcode::text, "ab", false) + client_frame(ws::opcode::text, "cd"),
             1002},
            {client_frame(ws::opcode::continuation, "x"), 1002},
            {client_frame(ws::opcode::text, "\xC0\xAF"), 1007},
            {client_frame(ws::opcode::ping, "x", /*fin=*/false), 1002},
            {client_frame(ws::opcode::close, close_payload(1005)), 1002},
        };
        for (const auto& bc : cases) {
          client c = co_await open_ws(port);
          co_await c.send(bc.bytes);
          frame f = co_await read_frame(c);
          EXPECT_EQ(f.op, 0x8);
          EXPECT_EQ(f.close_code(), bc.code);
          EXPECT_TRUE(co_await c.closed_by_peer());
        }
      },
      options());
}

TEST_P(websocket_e2e, failing_handler_closes_with_1011_and_plain_get_gets_426) {
  server srv;
  srv.set_error_logger([](std::string_view, std::string_view) {});
  srv.websocket("/ws", [](websocket& ws, const request&) -> rt::task<void> {
    co_await ws.receive();
    throw std::runtime_error("session failed");
  });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        client c = co_await open_ws(port);
        co_await c.send(client_frame(ws::opcode::text, "go"));
        frame f = co_await read_frame(c);
        EXPECT_EQ(f.op, 0x8);
        EXPECT_EQ(f.close_code(), 1011);
        co_await c.send(client_frame(ws::opcode::close, close_payload(1011)));
        EXPECT_TRUE(co_await c.closed_by_peer());

        parsed_response r = co_await fetch(port, "GET /ws HTTP/1.1\r\n\r\n");
        EXPECT_EQ(r.status, 426);
        EXPECT_EQ(r.header("upgrade"), "websocket");
        r = co_await fetch(port,
                           "GET /ws HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: nope\r\n\r\n");
        EXPECT_EQ(r.status, 400);
      },
      options());
}

TEST_P(websocket_e2e, a_gate_refuses_an_upgrade_with_its_own_response) {
  server srv;
  srv.websocket(
      "/ws",
      [](websocket& ws, const request&) -> rt::task<void> {
        while (auto m = co_await ws.receive()) co_await ws.send_text(m->data);
      },
      [](const request& req) -> std::optional<response> {
        if (req.header("x-pass")) return std::nullopt;
        return response::json(R"({"error":"no pass"})", status::unauthorized);
      });
  with_server(
      srv,
      [&](std::uint16_t port) -> rt::task<void> {
        const std::string refused(upgrade_request);
        parsed_response r = co_await fetch(port, refused);
        EXPECT_EQ(r.status, 401);
        EXPECT_EQ(r.body, R"({"error":"no pass"})");
        std::string allowed(upgrade_request);
        allowed.insert(allowed.size() - 2, "x-pass: 1\r\n");
        client c = co_await client::connect(port);
        co_await c.send(allowed);
        const std::string head = co_await c.read_until("\r\n\r\n");
        EXPECT_EQ(head.rfind("HTTP/1.1 101 Switching Protocols\r\n", 0), 0u) << head;
        co_await c.send(client_frame(ws::opcode::text, "hi"));
        frame f = co_await read_frame(c);
        EXPECT_EQ(f.payload, "hi");
      },
      options());
}

}  // namespace
}  // namespace hf::net::http::testing
