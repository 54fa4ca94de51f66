#include "net/http/websocket_frame.hpp"

#include <boost/uuid/detail/sha1.hpp>

namespace hf::net::http::ws {

bool is_known(std::uint8_t op) noexcept {
  return op == 0x0 || op == 0x1 || op == 0x2 || op == 0x8 || op == 0x9 || op == 0xA;
}

bool is_valid_close_code(std::uint16_t code) noexcept {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
         (code >= 3000 && code <= 4999);
}

std::string base64_encode(const unsigned char* data, std::size_t n) {
  static constexpr char alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    std::uint32_t v =
        (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  if (std::size_t rest = n - i; rest > 0) {
    std::uint32_t v = std::uint32_t{data[i]} << 16;
    if (rest == 2) v |= std::uint32_t{data[i + 1]} << 8;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += rest == 2 ? alphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string accept_key(std::string_view client_key) {
  static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  boost::uuids::detail::sha1 h;
  h.process_bytes(client_key.data(), client_key.size());
  h.process_bytes(guid.data(), guid.size());
  boost::uuids::detail::sha1::digest_type d;
  h.get_digest(d);
  unsigned char bytes[20];
  for (int i = 0; i < 5; ++i) {  // Boost 1.74 gives five big-endian 32-bit words
    bytes[i * 4] = static_cast<unsigned char>(d[i] >> 24);
    bytes[i * 4 + 1] = static_cast<unsigned char>(d[i] >> 16);
    bytes[i * 4 + 2] = static_cast<unsigned char>(d[i] >> 8);
    bytes[i * 4 + 3] = static_cast<unsigned char>(d[i]);
  }
  return base64_encode(bytes, sizeof bytes);
}

bool is_valid_client_key(std::string_view key) noexcept {
  // 16 bytes encode to 22 characters and "==".
  if (key.size() != 24 || key[22] != '=' || key[23] != '=') return false;
  for (std::size_t i = 0; i < 22; ++i) {
    char c = key[i];
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

std::optional<frame_header> parse_frame_header(std::string_view bytes) noexcept {
  if (bytes.size() < 2) return std::nullopt;
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
  frame_header h;
  h.fin = (b(0) & 0x80) != 0;
  h.rsv = static_cast<std::uint8_t>((b(0) >> 4) & 0x7);
  h.op = static_cast<std::uint8_t>(b(0) & 0x0F);
  h.masked = (b(1) & 0x80) != 0;
  std::uint64_t len = b(1) & 0x7F;
  std::size_t ext = len == 126 ? 2 : len == 127 ? 8 : 0;
  h.size = 2 + ext + (h.masked ? 4 : 0);
  if (bytes.size() < h.size) return std::nullopt;
  if (ext > 0) {
    len = 0;
    for (std::size_t i = 0; i < ext; ++i) len = (len << 8) | b(2 + i);
  }
  h.payload_length = len;
  if (h.masked) {
    for (std::size_t i = 0; i < 4; ++i) h.mask[i] = b(2 + ext + i);
  }
  return h;
}

void append_frame_header(std::string& out, opcode op, bool fin, std::uint64_t payload_length) {
  out.push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<std::uint8_t>(op)));
  if (payload_length < 126) {
    out.push_back(static_cast<char>(payload_length));
  } else if (payload_length <= 0xFFFF) {
    out.push_back(static_cast<char>(126));
    out.push_back(static_cast<char>(payload_length >> 8));
    out.push_back(static_cast<char>(payload_length & 0xFF));
  } else {
    out.push_back(static_cast<char>(127));
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.push_back(static_cast<char>((payload_length >> shift) & 0xFF));
    }
  }
}

void unmask(char* data, std::size_t n, const unsigned char mask[4], std::uint64_t offset) noexcept {
  for (std::size_t i = 0; i < n; ++i) {
    data[i] = static_cast<char>(static_cast<unsigned char>(data[i]) ^ mask[(offset + i) & 3]);
  }
}

bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    unsigned char c = at(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      unsigned char cc = at(i + k);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::uint32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace hf::net::http::ws
