// PCRE2 regular expressions (UTF + UCP, JIT-compiled when available) for the split patterns of
// tokenizer.json (GPT-2, Llama-3, Qwen2 pre-tokenizers...). Patterns are written for Oniguruma
// (what HF tokenizers uses), so its meaning of \w, \s and \h is kept (see onig_to_pcre2).
// Compiled once, safe to share between threads: each search uses its own match data.
//   tok::regex re("'s|'t| ?\\p{L}+");  auto regions = re.find_matches(text);
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tokenizer/normalized_string.hpp"

namespace hf::engine::tok {

class regex {
 public:
  // Throws tokenizer_error naming the pattern when it does not compile.
  explicit regex(std::string pattern);
  ~regex();
  regex(const regex&) = delete;
  regex& operator=(const regex&) = delete;

  const std::string& pattern() const { return pattern_; }
  // Regions covering `s` (valid UTF-8): the matches and the text between them, in order.
  std::vector<match_region> find_matches(std::string_view s) const;
  // Calls f(begin, end) for every non-overlapping match, left to right.
  template <class F>
  void for_each_match(std::string_view s, F&& f) const {
    size_t pos = 0;
    size_t b = 0, e = 0;
    while (next_match(s, pos, b, e)) {
      f(b, e);
      pos = e > b ? e : e + (e < s.size() ? utf8::char_len(static_cast<unsigned char>(s[e])) : 1);
      if (pos > s.size()) break;
    }
  }

 private:
  bool next_match(std::string_view s, size_t from, size_t& begin, size_t& end) const;

  std::string pattern_;
  struct code;
  std::unique_ptr<code> code_;
};

// Rewrites the Oniguruma class shorthands whose Unicode meaning differs in PCRE2: \w (Onig: L, M,
// N, Pc; PCRE2 lacks marks), \s (Onig also has U+0085), \h (Onig: hex digit; PCRE2: horizontal
// space), and their negations outside character classes.
std::string onig_to_pcre2(std::string_view pattern);

}  // namespace hf::engine::tok
