#include "engine/tokenizer/utf8.hpp"

namespace hf::engine::tok::utf8 {
namespace {

// Allowed range of the second byte after lead byte b (Unicode Table 3-7); the other
// continuation bytes are always 0x80..0xBF.
bool second_byte_ok(unsigned char lead, unsigned char b) {
  if (lead == 0xE0) return b >= 0xA0 && b <= 0xBF;
  if (lead == 0xED) return b >= 0x80 && b <= 0x9F;
  if (lead == 0xF0) return b >= 0x90 && b <= 0xBF;
  if (lead == 0xF4) return b >= 0x80 && b <= 0x8F;
  return b >= 0x80 && b <= 0xBF;
}

size_t expected_len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// Number of bytes from s[i] that form a (possibly truncated) valid prefix of a character:
// the "maximal subpart" that one U+FFFD replaces. Always >= 1.
size_t maximal_subpart(std::string_view s, size_t i) {
  auto lead = static_cast<unsigned char>(s[i]);
  size_t n = expected_len(lead);
  if (n == 0) return 1;
  size_t k = 1;
  for (; k < n && i + k < s.size(); ++k) {
    auto b = static_cast<unsigned char>(s[i + k]);
    bool ok = k == 1 ? second_byte_ok(lead, b) : (b >= 0x80 && b <= 0xBF);
    if (!ok) break;
  }
  return k;
}

}  // namespace

size_t valid_char_len(std::string_view s, size_t i) {
  auto lead = static_cast<unsigned char>(s[i]);
  size_t n = expected_len(lead);
  if (n == 0 || i + n > s.size()) return 0;
  return maximal_subpart(s, i) == n ? n : 0;
}

size_t valid_prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    // Fast path over ASCII, eight bytes at a time.
    while (i + 8 <= s.size()) {
      uint64_t w = 0;
      for (int k = 0; k < 8; ++k)
        w |= static_cast<uint64_t>(static_cast<unsigned char>(s[i + k])) << (8 * k);
      if (w & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= s.size()) break;
    size_t n = valid_char_len(s, i);
    if (n == 0) return i;
    i += n;
  }
  return s.size();
}

std::string make_valid(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 8);
  size_t i = 0;
  while (i < s.size()) {
    size_t n = valid_char_len(s, i);
    if (n > 0) {
      out.append(s.data() + i, n);
      i += n;
    } else {
      append(out, replacement_char);
      i += maximal_subpart(s, i);
    }
  }
  return out;
}

size_t count_chars(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

bool ends_with_incomplete_char(std::string_view s) {
  // Look at most 3 bytes back for a lead byte whose character is cut off by the end of s.
  for (size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    size_t i = s.size() - back;
    auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xC0) == 0x80) continue;
    size_t n = expected_len(b);
    return n > back && maximal_subpart(s, i) == back;
  }
  return false;
}

}  // namespace hf::engine::tok::utf8
