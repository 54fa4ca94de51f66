// UTF-8 helpers for the tokenizer: decoding one code point, encoding, validation and the lossy
// repair that replaces each maximal invalid subsequence by U+FFFD (as Rust's from_utf8_lossy does).
//   std::string ok = hf::engine::tok::utf8::make_valid(bytes);
//   for (size_t i = 0; i < s.size();) { char32_t c = utf8::decode(s, i); ... }  // i advances
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hf::engine::tok::utf8 {

inline constexpr char32_t replacement_char = 0xFFFD;

// Byte length of the character that starts with lead byte b (1 for invalid lead bytes).
inline size_t char_len(unsigned char b) {
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0) return 2;
  if ((b & 0xF0) == 0xE0) return 3;
  if ((b & 0xF8) == 0xF0) return 4;
  return 1;
}

// Decodes the character at s[i] of a string known to be valid UTF-8 and advances i past it.
inline char32_t decode(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  size_t n = char_len(b);
  char32_t c = b & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return c;
}

inline void append(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

inline std::string encode(char32_t c) {
  std::string s;
  append(s, c);
  return s;
}

inline size_t encoded_len(char32_t c) {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

// Length of the valid character starting at s[i], or 0 if the bytes there are not valid UTF-8.
size_t valid_char_len(std::string_view s, size_t i);
// Length of the longest prefix of s that is valid UTF-8.
size_t valid_prefix(std::string_view s);
inline bool is_valid(std::string_view s) {
  return valid_prefix(s) == s.size();
}
// s with every maximal invalid subsequence replaced by U+FFFD.
std::string make_valid(std::string_view s);
// Number of code points of a valid UTF-8 string.
size_t count_chars(std::string_view s);
// True when s ends in the middle of a character that further bytes could complete.
bool ends_with_incomplete_char(std::string_view s);

}  // namespace hf::engine::tok::utf8
