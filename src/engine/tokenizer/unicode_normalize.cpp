// NFC/NFD/NFKC/NFKD over a normalized_string: decompose, order marks canonically, recompose.
// Every output character keeps the alignment of the input character it came from (a composed
// character takes its starter's).
#include <algorithm>
#include <string>
#include <vector>

#include "engine/tokenizer/normalizers.hpp"
#include "engine/tokenizer/unicode.hpp"

namespace hf::engine::tok {
namespace {

struct aligned_char {
  char32_t c;
  alignment a;
  uint8_t ccc;
};

// Characters below these bounds never change under the given form.
bool is_stable_ascii(const std::string& s) {
  for (char ch : s)
    if (static_cast<unsigned char>(ch) >= 0x80) return false;
  return true;
}

void canonical_order(std::vector<aligned_char>& v) {
  size_t i = 0;
  while (i < v.size()) {
    if (v[i].ccc == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < v.size() && v[j].ccc != 0) ++j;
    std::stable_sort(v.begin() + static_cast<std::ptrdiff_t>(i),
                     v.begin() + static_cast<std::ptrdiff_t>(j),
                     [](const aligned_char& x, const aligned_char& y) { return x.ccc < y.ccc; });
    i = j;
  }
}

void compose_all(std::vector<aligned_char>& v) {
  if (v.empty()) return;
  std::vector<aligned_char> out;
  out.reserve(v.size());
  long starter = -1;  // index in out of the last starter
  int last_ccc = -1;  // ccc of the last character appended after the starter
  for (const aligned_char& ch : v) {
    if (starter >= 0) {
      bool blocked = last_ccc != -1 && (last_ccc == 0 || last_ccc >= ch.ccc);
      if (!blocked) {
        if (auto comp = unicode::compose(out[static_cast<size_t>(starter)].c, ch.c)) {
          out[static_cast<size_t>(starter)].c = *comp;
          continue;
        }
      }
    }
    if (ch.ccc == 0) {
      starter = static_cast<long>(out.size());
      last_ccc = -1;
    } else {
      last_ccc = ch.ccc;
    }
    out.push_back(ch);
  }
  v.swap(out);
}

}  // namespace

void unicode_normalize(normalized_string& n, unicode_form form) {
  if (is_stable_ascii(n.get())) return;
  bool compat = form == unicode_form::nfkc || form == unicode_form::nfkd;
  bool recompose = form == unicode_form::nfc || form == unicode_form::nfkc;
  std::vector<aligned_char> chars;
  chars.reserve(n.size());
  std::u32string buf;
  const std::string& s = n.get();
  for (size_t i = 0; i < s.size();) {
    alignment a = n.align_at(i);
    char32_t c = utf8::decode(s, i);
    buf.clear();
    unicode::decompose(c, compat, buf);
    for (char32_t d : buf) chars.push_back({d, a, unicode::combining_class(d)});
  }
  canonical_order(chars);
  if (recompose) compose_all(chars);
  normalized_string::builder b(n.tracks());
  b.reserve(s.size() + 8);
  for (const aligned_char& ch : chars) b.push(ch.c, ch.a);
  n.replace_with(std::move(b));
}

}  // namespace hf::engine::tok
