#include "net/http/websocket.hpp"

#include <algorithm>
#include <stdexcept>

#include "net/http/byte_buffer.hpp"
#include "net/http/peer_gone.hpp"
#include "net/http/websocket_frame.hpp"
#include "runtime/cancel_scope.hpp"
#include "runtime/errors.hpp"
#include "runtime/net/tcp.hpp"

namespace hf::net::http {

websocket::websocket(rt::tcp_stream& sock, byte_buffer& in, websocket_options options)
    : sock_(sock), in_(in), options_(options) {}

rt::task<bool> websocket::fill(std::size_t n) {
  while (in_.size() < n) {
    // Named first: GCC 12 mis-handles temporaries (std::max's reference) across a co_await.
    const std::size_t want = std::max<std::size_t>(n - in_.size(), 4096);
    if (!co_await detail::receive_into(sock_, in_, want)) co_return false;
  }
  co_return true;
}

rt::task<bool> websocket::read_payload(std::uint64_t length, const unsigned char mask[4],
                                       std::string& into) {
  std::uint64_t done = 0;
  while (done < length) {
    if (in_.empty()) {
      auto want = static_cast<std::size_t>(std::min<std::uint64_t>(length - done, 65536));
      if (!co_await detail::receive_into(sock_, in_, want)) co_return false;
    }
    std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(in_.size(), length - done));
    std::size_t old = into.size();
    into.append(in_.readable().data(), take);
    ws::unmask(into.data() + old, take, mask, done);
    in_.consume(take);
    done += take;
  }
  co_return true;
}

rt::task<void> websocket::send_frame(std::uint8_t op, std::string_view payload) {
  auto guard = co_await send_lock_.scoped();
  out_.clear();
  ws::append_frame_header(out_, static_cast<ws::opcode>(op), /*fin=*/true, payload.size());
  out_.append(payload);
  co_await sock_.send_all(out_);
}

rt::task<void> websocket::fail(std::uint16_t code, std::string_view reason) {
  failed_ = true;
  close_code_ = code;
  close_reason_ = reason;
  if (sent_close_) co_return;
  sent_close_ = true;
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason.substr(0, 123));
  try {
    co_await send_frame(static_cast<std::uint8_t>(ws::opcode::close), payload);
  } catch (const std::exception&) {
    // The peer is gone or broke the stream; the connection is over either way.
  }
}

rt::task<void> websocket::on_close_frame(std::string_view payload) {
  received_close_ = true;
  std::uint16_t code = ws::close_code::no_status;
  std::string_view reason;
  if (payload.size() == 1) {
    co_await fail(ws::close_code::protocol_error, "close frame with a 1-byte payload");
    co_return;
  }
  if (payload.size() >= 2) {
    code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
    reason = payload.substr(2);
    if (!ws::is_valid_close_code(code)) {
      co_await fail(ws::close_code::protocol_error, "invalid close code");
      co_return;
    }
    if (!ws::is_valid_utf8(reason)) {
      co_await fail(ws::close_code::invalid_payload, "close reason is not valid UTF-8");
      co_return;
    }
  }
  close_code_ = code;
  close_reason_ = reason;
  if (!sent_close_) {
    sent_close_ = true;  // echo the code (RFC 6455 5.5.1)
    try {
      co_await send_frame(static_cast<std::uint8_t>(ws::opcode::close), payload.substr(0, 2));
    } catch (const std::exception&) {
      failed_ = true;
    }
  }
}

rt::task<std::optional<websocket_message>> websocket::receive() {
  if (received_close_ || failed_) co_return std::nullopt;
  websocket_message msg;
  bool in_message = false;
  for (;;) {
    if (!co_await fill(2)) break;
    auto b1 = static_cast<unsigned char>(in_.readable()[1]);
    std::size_t len7 = b1 & 0x7F;
    std::size_t need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((b1 & 0x80) ? 4 : 0);
    if (!co_await fill(need)) break;
    ws::frame_header h = *ws::parse_frame_header(in_.readable());
    in_.consume(h.size);
    auto op = static_cast<ws::opcode>(h.op);
    bool control = ws::is_control(op);
    const char* why = nullptr;
    std::uint16_t code = ws::close_code::protocol_error;
    if (h.rsv != 0) {
      why = "reserved bits set without a negotiated extension";
    } else if (!h.masked) {
      why = "client frames must be masked";
    } else if (!ws::is_known(h.op)) {
      why = "unknown opcode";
    } else if (control && (!h.fin || h.payload_length > 125)) {
      why = "control frames must be whole and at most 125 bytes";
    } else if (op == ws::opcode::continuation && !in_message) {
      why = "continuation frame outside a message";
    } else if (!control && op != ws::opcode::continuation && in_message) {
      why = "new data frame inside a fragmented message";
    } else if (!control && h.payload_length > options_.max_message_bytes - msg.data.size()) {
      code = ws::close_code::message_too_big;
      why = "message exceeds the size limit";
    }
    if (why) {
      co_await fail(code, why);
      co_return std::nullopt;
    }
    if (control) {
      control_.clear();
      if (!co_await read_payload(h.payload_length, h.mask, control_)) break;
      if (op == ws::opcode::ping) {
        if (!sent_close_)
          co_await send_frame(static_cast<std::uint8_t>(ws::opcode::pong), control_);
        continue;
      }
      if (op == ws::opcode::pong) continue;
      co_await on_close_frame(control_);
      co_return std::nullopt;
    }
    if (!in_message) {
      in_message = true;
      msg.binary = op == ws::opcode::binary;
    }
    if (!co_await read_payload(h.payload_length, h.mask, msg.data)) break;
    if (!h.fin) continue;
    if (!msg.binary && !ws::is_valid_utf8(msg.data)) {
      co_await fail(ws::close_code::invalid_payload, "text message is not valid UTF-8");
      co_return std::nullopt;
    }
    co_return msg;
  }
  // The peer closed or reset the TCP connection without a close frame.
  failed_ = true;
  if (!close_code_) close_code_ = ws::close_code::abnormal;
  co_return std::nullopt;
}

rt::task<void> websocket::send_text(std::string_view text) {
  if (!is_open())
    throw rt::closed_resource_error("websocket::send_text: the connection is closing");
  if (!ws::is_valid_utf8(text))
    throw std::invalid_argument("websocket::send_text: text is not valid UTF-8");
  co_await send_frame(static_cast<std::uint8_t>(ws::opcode::text), text);
}

rt::task<void> websocket::send_binary(std::span<const std::byte> data) {
  if (!is_open())
    throw rt::closed_resource_error("websocket::send_binary: the connection is closing");
  co_await send_frame(static_cast<std::uint8_t>(ws::opcode::binary),
                      std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

rt::task<void> websocket::ping(std::string_view payload) {
  if (!is_open()) throw rt::closed_resource_error("websocket::ping: the connection is closing");
  if (payload.size() > 125) throw std::invalid_argument("websocket::ping: payload over 125 bytes");
  co_await send_frame(static_cast<std::uint8_t>(ws::opcode::ping), payload);
}

rt::task<void> websocket::close(std::uint16_t code, std::string_view reason) {
  if (sent_close_ || failed_) co_return;
  if (!ws::is_valid_close_code(code)) {
    throw std::invalid_argument("websocket::close: " + std::to_string(code) +
                                " is not a valid close code");
  }
  if (reason.size() > 123 || !ws::is_valid_utf8(reason)) {
    throw std::invalid_argument("websocket::close: the reason must be UTF-8 of at most 123 bytes");
  }
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code & 0xFF));
  payload.append(reason);
  sent_close_ = true;
  if (!close_code_) close_code_ = code;
  co_await send_frame(static_cast<std::uint8_t>(ws::opcode::close), payload);
  if (received_close_) co_return;
  // Wait for the peer's close frame, dropping any data still in flight.
  co_await rt::move_on_after(options_.close_timeout, [this]() -> rt::task<void> {
    while (co_await receive()) {
    }
  });
}

}  // namespace hf::net::http
