// Unicode character properties and normalization primitives for the tokenizer (general category,
// White_Space, lowercase, combining class, decomposition and composition), from the generated
// tables in unicode_data.cpp (Unicode 14.0). Everything here works on single code points.
//   if (unicode::is_punctuation(c)) ...;  unicode::decompose(c, /*compat=*/false, out);
#pragma once
#include <cstdint>
#include <optional>
#include <string>

namespace hf::engine::tok::unicode {

// General categories, in the order of the generated table.
// clang-format off
enum class category : uint8_t {
  Cn, Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No, Pc, Pd, Ps, Pe, Pi, Pf, Po,
  Sm, Sc, Sk, So, Zs, Zl, Zp, Cc, Cf, Cs, Co
};
// clang-format on

category general_category(char32_t c);

inline bool is_letter(char32_t c) {
  auto g = general_category(c);
  return g >= category::Lu && g <= category::Lo;
}
inline bool is_mark(char32_t c) {
  auto g = general_category(c);
  return g >= category::Mn && g <= category::Me;
}
inline bool is_nonspacing_mark(char32_t c) {
  return general_category(c) == category::Mn;
}
// Nd, Nl, No (Rust's char::is_numeric).
inline bool is_numeric(char32_t c) {
  auto g = general_category(c);
  return g >= category::Nd && g <= category::No;
}
inline bool is_punctuation(char32_t c) {
  auto g = general_category(c);
  return g >= category::Pc && g <= category::Po;
}
// Cc, Cf, Cs, Co, Cn ("Other").
inline bool is_other(char32_t c) {
  auto g = general_category(c);
  return g == category::Cn || g >= category::Cc;
}
// The White_Space property (Rust's char::is_whitespace, regex \s).
bool is_whitespace(char32_t c);
// Letters, marks, decimal/letter numbers, connector punctuation, ZWNJ/ZWJ: regex \w.
bool is_word_char(char32_t c);
// ASCII punctuation or any Unicode P* character (BERT's notion of punctuation).
inline bool is_bert_punctuation(char32_t c) {
  if (c < 0x80)
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) ||
           (c >= 123 && c <= 126);
  return is_punctuation(c);
}
// CJK ideograph blocks that BERT isolates with spaces.
bool is_cjk_ideograph(char32_t c);

// Appends the full lowercase mapping of c (one code point except for U+0130).
void append_lowercase(char32_t c, std::u32string& out);
uint8_t combining_class(char32_t c);
// Appends the full canonical (or compatibility) decomposition of c, or c itself.
void decompose(char32_t c, bool compat, std::u32string& out);
// The primary composite of a + b, if any (Hangul included).
std::optional<char32_t> compose(char32_t a, char32_t b);

}  // namespace hf::engine::tok::unicode
