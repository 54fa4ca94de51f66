#include "engine/tokenizer/precompiled.hpp"

#include "engine/tokenizer/tokenizer.hpp"
#include "engine/tokenizer/unicode.hpp"

namespace hf::engine::tok {
namespace {

std::string base64_decode(std::string_view b64) {
  auto value = [](char ch) -> int {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+' || ch == '-') return 62;
    if (ch == '/' || ch == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : b64) {
    if (ch == '=' || ch == '\n' || ch == '\r') continue;
    int v = value(ch);
    if (v < 0)
      throw tokenizer_error(
          "tokenizer.json: Precompiled normalizer: invalid base64 in precompiled_charsmap");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

// darts-clone unit layout.
bool has_leaf(uint32_t unit) {
  return ((unit >> 8) & 1) == 1;
}
uint32_t value(uint32_t unit) {
  return unit & ((1u << 31) - 1);
}
uint32_t label(uint32_t unit) {
  return unit & ((1u << 31) | 0xFF);
}
uint32_t offset(uint32_t unit) {
  return (unit >> 10) << ((unit & (1u << 9)) >> 6);
}

bool is_hangul_l(char32_t c) {
  return c >= 0x1100 && c <= 0x115F;
}
bool is_hangul_v(char32_t c) {
  return c >= 0x1160 && c <= 0x11A7;
}
bool is_hangul_t(char32_t c) {
  return c >= 0x11A8 && c <= 0x11FF;
}
bool is_hangul_syllable(char32_t c) {
  return c >= 0xAC00 && c <= 0xD7A3;
}
bool is_regional_indicator(char32_t c) {
  return c >= 0x1F1E6 && c <= 0x1F1FF;
}

// Characters that extend the cluster before them.
bool is_extend(char32_t c) {
  return unicode::is_mark(c) || c == 0x200D || (c >= 0x1F3FB && c <= 0x1F3FF) ||
         (c >= 0xE0020 && c <= 0xE007F);
}

}  // namespace

size_t grapheme_end(std::string_view s, size_t i) {
  size_t j = i;
  char32_t first = utf8::decode(s, j);
  if (first == '\r' && j < s.size() && s[j] == '\n') return j + 1;
  if (first == '\r' || first == '\n') return j;
  char32_t prev = first;
  while (j < s.size()) {
    size_t k = j;
    char32_t c = utf8::decode(s, k);
    bool joins =
        is_extend(c) || prev == 0x200D ||
        (is_regional_indicator(prev) && is_regional_indicator(c) && prev == first && j == i + 4) ||
        ((is_hangul_l(prev) || is_hangul_syllable(prev) || is_hangul_v(prev)) &&
         (is_hangul_v(c) || is_hangul_t(c))) ||
        (is_hangul_l(prev) && (is_hangul_l(c) || is_hangul_syllable(c))) ||
        (is_hangul_t(prev) && is_hangul_t(c));
    if (!joins) break;
    prev = c;
    j = k;
  }
  return j;
}

precompiled_charsmap precompiled_charsmap::from_base64(std::string_view b64) {
  std::string bytes = base64_decode(b64);
  auto fail = [] {
    throw tokenizer_error("tokenizer.json: Precompiled normalizer: malformed precompiled_charsmap");
  };
  if (bytes.size() < 4) fail();
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at])) |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + 3])) << 24;
  };
  uint32_t trie_size = u32(0);
  if (trie_size % 4 != 0 || 4 + static_cast<size_t>(trie_size) > bytes.size()) fail();
  precompiled_charsmap m;
  m.trie_.reserve(trie_size / 4);
  for (size_t k = 0; k < trie_size / 4; ++k) m.trie_.push_back(u32(4 + 4 * k));
  m.replacements_ = bytes.substr(4 + trie_size);
  if (m.trie_.empty()) fail();
  return m;
}

std::optional<std::string_view> precompiled_charsmap::transform(std::string_view chunk) const {
  size_t node = 0;
  uint32_t unit = trie_[node];
  node ^= offset(unit);
  for (char ch : chunk) {
    auto c = static_cast<unsigned char>(ch);
    if (c == 0) break;
    node ^= c;
    if (node >= trie_.size()) return std::nullopt;
    unit = trie_[node];
    if (label(unit) != c) return std::nullopt;
    node ^= offset(unit);
    if (node >= trie_.size()) return std::nullopt;
    if (has_leaf(unit)) {
      size_t at = value(trie_[node]);
      if (at >= replacements_.size()) return std::nullopt;
      size_t end = replacements_.find('\0', at);
      if (end == std::string::npos) end = replacements_.size();
      return std::string_view(replacements_).substr(at, end - at);
    }
  }
  return std::nullopt;
}

void precompiled_charsmap::normalize(normalized_string& n) const {
  const std::string& s = n.get();
  normalized_string::builder b(n.tracks());
  b.reserve(s.size() + 8);
  bool modified = false;
  // old[k] takes the alignment of the k-th replaced character; extra new characters that of the
  // last one (HF's transform of a replacement).
  auto replace = [&](size_t begin, size_t end, std::string_view repl) {
    modified = true;
    std::vector<alignment> old;
    for (size_t i = begin; i < end; i += utf8::char_len(static_cast<unsigned char>(s[i])))
      old.push_back(n.align_at(i));
    size_t k = 0;
    for (size_t i = 0; i < repl.size(); ++k) {
      size_t len = utf8::char_len(static_cast<unsigned char>(repl[i]));
      b.push_utf8(repl.substr(i, len), old[std::min(k, old.size() - 1)]);
      i += len;
    }
  };
  for (size_t i = 0; i < s.size();) {
    size_t g = grapheme_end(s, i);
    if (g - i < 6) {
      if (auto r = transform(std::string_view(s).substr(i, g - i))) {
        replace(i, g, *r);
        i = g;
        continue;
      }
    }
    for (size_t c = i; c < g;) {
      size_t len = utf8::char_len(static_cast<unsigned char>(s[c]));
      if (auto r = transform(std::string_view(s).substr(c, len))) {
        replace(c, c + len, *r);
      } else {
        b.push_utf8(std::string_view(s).substr(c, len), n.align_at(c));
      }
      c += len;
    }
    i = g;
  }
  if (modified) n.replace_with(std::move(b));
}

}  // namespace hf::engine::tok
