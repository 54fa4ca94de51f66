// WebSocket wire format helpers (RFC 6455): the handshake's accept key, frame headers, masking,
// close codes and UTF-8 validation of text. Pure functions, so the framing is testable apart
// from any socket.
//   std::string acc = ws::accept_key("dGhlIHNhbXBsZSBub25jZQ==");  //
//   "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" ws::append_frame_header(out, ws::opcode::text, /*fin=*/true,
//   payload.size());
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hf::net::http::ws {

enum class opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};
constexpr bool is_control(opcode op) noexcept {
  return (static_cast<std::uint8_t>(op) & 0x8) != 0;
}
bool is_known(std::uint8_t op) noexcept;

// Close codes (RFC 6455 7.4.1).
namespace close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;
inline constexpr std::uint16_t protocol_error = 1002;
inline constexpr std::uint16_t unsupported_data = 1003;
inline constexpr std::uint16_t no_status = 1005;  // never sent: "the close frame had no code"
inline constexpr std::uint16_t abnormal = 1006;   // never sent: "no close frame at all"
inline constexpr std::uint16_t invalid_payload = 1007;
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t message_too_big = 1009;
inline constexpr std::uint16_t internal_error = 1011;
}  // namespace close_code
// Whether a peer may send this code in a close frame.
bool is_valid_close_code(std::uint16_t code) noexcept;

// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
std::string accept_key(std::string_view client_key);
// A Sec-WebSocket-Key must be the base64 form of 16 bytes.
bool is_valid_client_key(std::string_view key) noexcept;
std::string base64_encode(const unsigned char* data, std::size_t n);

// A parsed frame header; `size` is the header's own length in bytes.
struct frame_header {
  bool fin = false;
  std::uint8_t rsv = 0;
  std::uint8_t op = 0;
  bool masked = false;
  std::uint64_t payload_length = 0;
  unsigned char mask[4] = {};
  std::size_t size = 0;
};
// nullopt if `bytes` does not yet hold the whole header.
std::optional<frame_header> parse_frame_header(std::string_view bytes) noexcept;
// An unmasked (server-to-client) header.
void append_frame_header(std::string& out, opcode op, bool fin, std::uint64_t payload_length);
// XORs data with the mask, the first byte being at position `offset` of the payload.
void unmask(char* data, std::size_t n, const unsigned char mask[4], std::uint64_t offset) noexcept;

// Strict UTF-8 (no overlong forms, surrogates or code points above U+10FFFF).
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace hf::net::http::ws
