#include "engine/tokenizer/unicode.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hf::engine::tok::unicode_data {
extern const char k_category_ranges[];
extern const char k_lowercase[];
extern const char k_combining_class[];
extern const char k_decompositions[];
extern const char k_compositions[];
}  // namespace hf::engine::tok::unicode_data

namespace hf::engine::tok::unicode {
namespace {

// The generated tables are base64 text of LEB128 varint streams.
std::vector<uint32_t> decode_varints(std::string_view b64) {
  auto value = [](char ch) -> int {
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
  };
  std::vector<uint8_t> bytes;
  bytes.reserve(b64.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (char ch : b64) {
    int v = value(ch);
    if (v < 0) continue;  // '=' padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<uint8_t>((acc >> bits) & 0xFF));
    }
  }
  std::vector<uint32_t> out;
  uint32_t cur = 0;
  int shift = 0;
  for (uint8_t b : bytes) {
    cur |= static_cast<uint32_t>(b & 0x7F) << shift;
    if (b & 0x80) {
      shift += 7;
    } else {
      out.push_back(cur);
      cur = 0;
      shift = 0;
    }
  }
  return out;
}

struct tables {
  // k_category_ranges: (start delta, category) pairs covering every code point.
  std::vector<uint8_t> bmp_category;    // direct lookup below 0x10000
  std::vector<uint32_t> astral_starts;  // ranges at or above 0x10000
  std::vector<uint8_t> astral_categories;
  // k_lowercase: (code point delta, zigzag(lower - cp)) pairs.
  std::unordered_map<char32_t, char32_t> lower;
  // k_combining_class: (start delta, length, class) triples.
  std::unordered_map<char32_t, uint8_t> ccc;
  // k_decompositions: (cp delta, compat flag, n, n code points) records.
  std::unordered_map<char32_t, std::u32string> canonical;
  std::unordered_map<char32_t, std::u32string> compat;
  // k_compositions: (first, second, composite) triples.
  std::unordered_map<uint64_t, char32_t> compose;

  tables() {
    auto cat = decode_varints(unicode_data::k_category_ranges);
    bmp_category.assign(0x10000, 0);
    uint32_t start = 0;
    std::vector<std::pair<uint32_t, uint8_t>> ranges;
    for (size_t i = 0; i + 1 < cat.size(); i += 2) {
      start += cat[i];
      ranges.emplace_back(start, static_cast<uint8_t>(cat[i + 1]));
    }
    for (size_t r = 0; r < ranges.size(); ++r) {
      uint32_t end = r + 1 < ranges.size() ? ranges[r + 1].first : 0x110000;
      for (uint32_t c = ranges[r].first; c < std::min<uint32_t>(end, 0x10000); ++c)
        bmp_category[c] = ranges[r].second;
      if (end > 0x10000) {
        astral_starts.push_back(std::max<uint32_t>(ranges[r].first, 0x10000));
        astral_categories.push_back(ranges[r].second);
      }
    }
    auto low = decode_varints(unicode_data::k_lowercase);
    char32_t cp = 0;
    for (size_t i = 0; i + 1 < low.size(); i += 2) {
      cp += low[i];
      int64_t delta = (low[i + 1] & 1) ? -static_cast<int64_t>((low[i + 1] + 1) / 2)
                                       : static_cast<int64_t>(low[i + 1] / 2);
      lower[cp] = static_cast<char32_t>(static_cast<int64_t>(cp) + delta);
    }
    auto cc = decode_varints(unicode_data::k_combining_class);
    cp = 0;
    for (size_t i = 0; i + 2 < cc.size(); i += 3) {
      cp += cc[i];
      for (uint32_t k = 0; k < cc[i + 1]; ++k) ccc[cp + k] = static_cast<uint8_t>(cc[i + 2]);
    }
    auto dec = decode_varints(unicode_data::k_decompositions);
    cp = 0;
    for (size_t i = 0; i + 2 < dec.size();) {
      cp += dec[i];
      bool is_compat = dec[i + 1] != 0;
      size_t n = dec[i + 2];
      std::u32string seq(dec.begin() + static_cast<std::ptrdiff_t>(i + 3),
                         dec.begin() + static_cast<std::ptrdiff_t>(i + 3 + n));
      (is_compat ? compat : canonical)[cp] = std::move(seq);
      i += 3 + n;
    }
    auto comp = decode_varints(unicode_data::k_compositions);
    for (size_t i = 0; i + 2 < comp.size(); i += 3)
      compose[(static_cast<uint64_t>(comp[i]) << 32) | comp[i + 1]] = comp[i + 2];
  }
};

const tables& data() {
  static const tables t;
  return t;
}

constexpr char32_t hangul_s = 0xAC00, hangul_l = 0x1100, hangul_v = 0x1161, hangul_t = 0x11A7;
constexpr char32_t hangul_lcount = 19, hangul_vcount = 21, hangul_tcount = 28;
constexpr char32_t hangul_ncount = hangul_vcount * hangul_tcount;
constexpr char32_t hangul_scount = hangul_lcount * hangul_ncount;

}  // namespace

category general_category(char32_t c) {
  const tables& t = data();
  if (c < 0x10000) return static_cast<category>(t.bmp_category[c]);
  if (c > 0x10FFFF) return category::Cn;
  auto it =
      std::upper_bound(t.astral_starts.begin(), t.astral_starts.end(), static_cast<uint32_t>(c));
  return static_cast<category>(
      t.astral_categories[static_cast<size_t>(it - t.astral_starts.begin()) - 1]);
}

bool is_whitespace(char32_t c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

bool is_word_char(char32_t c) {
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
  if (c == 0x200C || c == 0x200D) return true;
  auto g = general_category(c);
  return (g >= category::Lu && g <= category::Nl) || g == category::Pc;
}

bool is_cjk_ideograph(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x2A6DF) || (c >= 0x2A700 && c <= 0x2B73F) ||
         (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}

void append_lowercase(char32_t c, std::u32string& out) {
  if (c < 0x80) {
    out.push_back(c >= 'A' && c <= 'Z' ? c + 32 : c);
    return;
  }
  if (c == 0x130) {  // the only unconditional multi-character lowercase mapping
    out.push_back(U'i');
    out.push_back(0x307);
    return;
  }
  const auto& m = data().lower;
  auto it = m.find(c);
  out.push_back(it == m.end() ? c : it->second);
}

uint8_t combining_class(char32_t c) {
  if (c < 0x300) return 0;
  const auto& m = data().ccc;
  auto it = m.find(c);
  return it == m.end() ? 0 : it->second;
}

void decompose(char32_t c, bool compat, std::u32string& out) {
  if (c < 0xA0) {
    out.push_back(c);
    return;
  }
  if (c >= hangul_s && c < hangul_s + hangul_scount) {
    char32_t s = c - hangul_s;
    out.push_back(hangul_l + s / hangul_ncount);
    out.push_back(hangul_v + (s % hangul_ncount) / hangul_tcount);
    if (s % hangul_tcount != 0) out.push_back(hangul_t + s % hangul_tcount);
    return;
  }
  const tables& t = data();
  if (compat) {
    auto it = t.compat.find(c);
    if (it != t.compat.end()) {
      out += it->second;
      return;
    }
  }
  auto it = t.canonical.find(c);
  if (it != t.canonical.end()) {
    out += it->second;
  } else {
    out.push_back(c);
  }
}

std::optional<char32_t> compose(char32_t a, char32_t b) {
  if (a >= hangul_l && a < hangul_l + hangul_lcount && b >= hangul_v &&
      b < hangul_v + hangul_vcount) {
    return hangul_s + ((a - hangul_l) * hangul_vcount + (b - hangul_v)) * hangul_tcount;
  }
  if (a >= hangul_s && a < hangul_s + hangul_scount && (a - hangul_s) % hangul_tcount == 0 &&
      b > hangul_t && b < hangul_t + hangul_tcount) {
    return a + (b - hangul_t);
  }
  const auto& m = data().compose;
  auto it = m.find((static_cast<uint64_t>(a) << 32) | b);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

}  // namespace hf::engine::tok::unicode
