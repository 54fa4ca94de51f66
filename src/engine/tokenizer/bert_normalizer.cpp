// BertNormalizer in one pass over the characters, equivalent to HF's four passes (clean text,
// CJK spacing, NFD + drop Mn, lowercase): every step works per character except the canonical
// reordering of NFD, which never crosses an ASCII character (ASCII characters are starters), so
// runs of non-ASCII characters are decomposed, reordered and finished together.
#include <algorithm>
#include <string>
#include <vector>

#include "engine/tokenizer/normalizers.hpp"
#include "engine/tokenizer/unicode.hpp"

namespace hf::engine::tok {
namespace {

class bert_normalizer final : public normalizer {
 public:
  bert_normalizer(bool clean, bool chinese, bool strip_accents, bool lowercase)
      : clean_(clean), chinese_(chinese), strip_(strip_accents), lower_(lowercase) {}

  void normalize(normalized_string& n) const override {
    struct pending {
      char32_t c;
      alignment a;
      uint8_t ccc;
    };
    std::vector<pending> run;  // decomposed non-ASCII characters not yet output
    std::u32string buf;
    normalized_string::builder b(n.tracks());
    b.reserve(n.size() + 8);
    auto flush = [&] {
      if (run.empty()) return;
      if (strip_) reorder(run);
      for (const pending& p : run) {
        if (strip_ && unicode::is_nonspacing_mark(p.c)) continue;
        if (!lower_) {
          b.push(p.c, p.a);
          continue;
        }
        buf.clear();
        unicode::append_lowercase(p.c, buf);
        for (char32_t l : buf) b.push(l, p.a);
      }
      run.clear();
    };
    auto add_decomposed = [&](char32_t c, alignment a) {
      if (!strip_) {
        run.push_back({c, a, 0});
        return;
      }
      buf.clear();
      unicode::decompose(c, /*compat=*/false, buf);
      for (char32_t d : buf) run.push_back({d, a, unicode::combining_class(d)});
    };
    const std::string& s = n.get();
    for (size_t i = 0; i < s.size();) {
      alignment a = n.align_at(i);
      char32_t c = utf8::decode(s, i);
      bool ws3 = c == '\t' || c == '\n' || c == '\r';
      if (clean_) {
        if (c == 0 || c == 0xFFFD || (!ws3 && unicode::is_other(c))) continue;
        if (ws3 || unicode::is_whitespace(c)) c = U' ';
      }
      if (c < 0x80) {
        flush();
        if (lower_ && c >= 'A' && c <= 'Z') c += 32;
        b.push(c, a);
        continue;
      }
      if (chinese_ && unicode::is_cjk_ideograph(c)) {
        flush();
        b.push(U' ', a);
        add_decomposed(c, a);
        flush();
        b.push(U' ', a);
        continue;
      }
      add_decomposed(c, a);
    }
    flush();
    n.replace_with(std::move(b));
  }

 private:
  template <class V>
  static void reorder(V& run) {
    // Canonical ordering: stable sort of each stretch of non-starters by combining class.
    for (size_t i = 0; i < run.size();) {
      if (run[i].ccc == 0) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < run.size() && run[j].ccc != 0) ++j;
      std::stable_sort(run.begin() + static_cast<std::ptrdiff_t>(i),
                       run.begin() + static_cast<std::ptrdiff_t>(j),
                       [](const auto& x, const auto& y) { return x.ccc < y.ccc; });
      i = j;
    }
  }

  bool clean_, chinese_, strip_, lower_;
};

}  // namespace

std::unique_ptr<normalizer> make_bert_normalizer(bool clean_text, bool handle_chinese_chars,
                                                 bool strip_accents, bool lowercase) {
  return std::make_unique<bert_normalizer>(clean_text, handle_chinese_chars, strip_accents,
                                           lowercase);
}

}  // namespace hf::engine::tok
