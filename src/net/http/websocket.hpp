// A server-side WebSocket connection (RFC 6455), made by the server after a successful upgrade
// and handed to the route's handler. receive() reassembles fragmented messages, answers pings,
// skips pongs, enforces client masking and the message size limit, and completes the close
// handshake; sends may come from another task than receive() (a lock keeps frames whole).
//   srv.websocket("/ws", [](http::websocket& ws, const http::request&) -> rt::task<void> {
//     while (auto msg = co_await ws.receive()) co_await ws.send_text(msg->data);
//   });
// Cancellation: every call is a checkpoint; a cancelled send may leave a partial frame, after
// which the server closes the TCP connection. When the handler returns, the server sends a close
// frame (1000) unless one was already exchanged, then closes the socket.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "runtime/clock.hpp"
#include "runtime/sync/lock.hpp"
#include "runtime/task.hpp"

namespace hf::rt {
class tcp_stream;
}

namespace hf::net::http {

class byte_buffer;

struct websocket_options {
  std::size_t max_message_bytes = 16u << 20;             // larger messages: close 1009
  rt::duration close_timeout = std::chrono::seconds(5);  // wait for the peer's close frame
};

struct websocket_message {
  bool binary = false;
  std::string data;
};

class websocket {
 public:
  // Internal (the server builds it): frames are read from `in` (bytes already buffered after
  // the upgrade request come first) and from `sock`.
  websocket(rt::tcp_stream& sock, byte_buffer& in, websocket_options options);
  websocket(const websocket&) = delete;
  websocket& operator=(const websocket&) = delete;

  // The next whole message, or nullopt once the connection is over: the close handshake
  // finished, the peer broke the protocol (we closed with 1002/1007/1009), or the peer went
  // away without a close frame (close_code() == 1006).
  rt::task<std::optional<websocket_message>> receive();
  // closed_resource_error after the close handshake began; broken_resource_error if the peer is
  // gone.
  rt::task<void> send_text(std::string_view text);
  rt::task<void> send_binary(std::span<const std::byte> data);
  rt::task<void> send_binary(std::string_view data) {
    return send_binary(std::as_bytes(std::span(data)));
  }
  rt::task<void> ping(std::string_view payload = {});
  // Sends a close frame and waits (up to close_timeout) for the peer's; no-op once closing.
  rt::task<void> close(std::uint16_t code = 1000, std::string_view reason = {});

  // Open until a close frame was sent or received, or the connection failed.
  bool is_open() const noexcept { return !sent_close_ && !received_close_ && !failed_; }
  bool close_sent() const noexcept { return sent_close_; }
  // The code the connection closed with (the peer's, ours on a protocol error, or 1006).
  std::optional<std::uint16_t> close_code() const noexcept { return close_code_; }
  const std::string& close_reason() const noexcept { return close_reason_; }

 private:
  rt::task<bool> fill(std::size_t n);  // false: the peer closed or reset the connection
  rt::task<void> send_frame(std::uint8_t op, std::string_view payload);
  rt::task<void> fail(std::uint16_t code, std::string_view reason);
  rt::task<bool> read_payload(std::uint64_t length, const unsigned char mask[4], std::string& into);
  rt::task<void> on_close_frame(std::string_view payload);

  rt::tcp_stream& sock_;
  byte_buffer& in_;
  websocket_options options_;
  rt::lock send_lock_{/*fast_acquire=*/true};
  std::string out_;
  std::string control_;
  bool sent_close_ = false;
  bool received_close_ = false;
  bool failed_ = false;
  std::optional<std::uint16_t> close_code_;
  std::string close_reason_;
};

}  // namespace hf::net::http
