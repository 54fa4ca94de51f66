// GPT-2's reversible byte <-> printable character mapping (bytes_to_unicode): printable Latin-1
// bytes map to themselves, the other bytes to U+0100 onwards, so any byte string becomes a string
// of vocabulary characters.   std::string_view ch = byte_level::byte_to_utf8(0x20);  // "Ġ"
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hf::engine::tok::byte_level {

// The character (as UTF-8) standing for byte b.
std::string_view byte_to_utf8(uint8_t b);
char32_t byte_to_char(uint8_t b);
// The byte a character stands for, if it is one of the 256 mapped characters.
std::optional<uint8_t> char_to_byte(char32_t c);

}  // namespace hf::engine::tok::byte_level
