#include "engine/tokenizer/byte_level.hpp"

#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok::byte_level {
namespace {

struct tables {
  std::array<char32_t, 256> to_char{};
  std::array<std::string, 256> to_utf8;
  std::array<int16_t, 512> from_char{};  // every mapped character is below U+0200
  tables() {
    from_char.fill(-1);
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
      bool printable =
          (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
      char32_t c = printable ? static_cast<char32_t>(b) : next++;
      to_char[static_cast<size_t>(b)] = c;
      to_utf8[static_cast<size_t>(b)] = utf8::encode(c);
      from_char[c] = static_cast<int16_t>(b);
    }
  }
};

const tables& data() {
  static const tables t;
  return t;
}

}  // namespace

std::string_view byte_to_utf8(uint8_t b) {
  return data().to_utf8[b];
}
char32_t byte_to_char(uint8_t b) {
  return data().to_char[b];
}

std::optional<uint8_t> char_to_byte(char32_t c) {
  if (c >= 512) return std::nullopt;
  int16_t b = data().from_char[c];
  if (b < 0) return std::nullopt;
  return static_cast<uint8_t>(b);
}

}  // namespace hf::engine::tok::byte_level
