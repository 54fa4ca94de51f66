#include "engine/tokenizer/regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "engine/tokenizer/tokenizer.hpp"

namespace hf::engine::tok {
namespace {

// Per-thread match data and JIT stack, so that shared regexes need no locking. The JIT stack is
// larger than PCRE2's default 32 KiB so that long runs (1 MB of spaces) still match.
struct thread_match_state {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* stack = nullptr;
  thread_match_state() {
    data = pcre2_match_data_create(16, nullptr);
    context = pcre2_match_context_create(nullptr);
    stack = pcre2_jit_stack_create(64 * 1024, 8 * 1024 * 1024, nullptr);
    if (context && stack) pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~thread_match_state() {
    pcre2_jit_stack_free(stack);
    pcre2_match_context_free(context);
    pcre2_match_data_free(data);
  }
  thread_match_state(const thread_match_state&) = delete;
  thread_match_state& operator=(const thread_match_state&) = delete;
};

thread_match_state& match_state() {
  thread_local thread_match_state state;
  return state;
}

}  // namespace

struct regex::code {
  pcre2_code* re = nullptr;
  bool jit = false;
  ~code() { pcre2_code_free(re); }
};

std::string onig_to_pcre2(std::string_view p) {
  constexpr std::string_view word = "\\p{L}\\p{M}\\p{N}\\p{Pc}";
  constexpr std::string_view space = "\\t\\n\\x0B\\f\\r\\x{85}\\p{Z}";
  constexpr std::string_view hex = "0-9a-fA-F";
  std::string out;
  out.reserve(p.size() + 32);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      char e = p[i + 1];
      ++i;
      std::string_view set = e == 'w' || e == 'W'   ? word
                             : e == 's' || e == 'S' ? space
                             : e == 'h' || e == 'H' ? hex
                                                    : std::string_view();
      bool negated = e == 'W' || e == 'S' || e == 'H';
      if (set.empty() || (in_class && negated)) {
        // Other escapes, and negated shorthands inside a class (no union form), stay as they are.
        out += '\\';
        out += e;
      } else if (in_class) {
        out += set;
      } else {
        out += negated ? "[^" : "[";
        out += set;
        out += ']';
      }
      continue;
    }
    if (!in_class && c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (in_class && c == '[' && i + 1 < p.size() && p[i + 1] == ':') {
      size_t end = p.find(":]", i + 2);
      if (end != std::string_view::npos) {
        out.append(p.substr(i, end + 2 - i));
        i = end + 1;
        continue;
      }
    }
    if (in_class && c == ']') in_class = false;
    out += c;
  }
  return out;
}

regex::regex(std::string pattern) : pattern_(std::move(pattern)), code_(std::make_unique<code>()) {
  int err = 0;
  PCRE2_SIZE err_offset = 0;
  const std::string translated = onig_to_pcre2(pattern_);
  code_->re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                            PCRE2_UTF | PCRE2_UCP, &err, &err_offset, nullptr);
  if (!code_->re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(err, msg, sizeof msg);
    throw tokenizer_error("tokenizer: cannot compile regex '" + pattern_ + "' at offset " +
                          std::to_string(err_offset) + ": " + reinterpret_cast<const char*>(msg));
  }
  code_->jit = pcre2_jit_compile(code_->re, PCRE2_JIT_COMPLETE) == 0;
}

regex::~regex() = default;

bool regex::next_match(std::string_view s, size_t from, size_t& begin, size_t& end) const {
  if (from > s.size()) return false;
  thread_match_state& st = match_state();
  // The input is always valid UTF-8 (encode repairs it first), so the check is skipped.
  int rc = pcre2_match(code_->re, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), from,
                       PCRE2_NO_UTF_CHECK, st.data, st.context);
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    throw tokenizer_error("tokenizer: regex '" + pattern_ +
                          "' failed: " + reinterpret_cast<const char*>(msg));
  }
  PCRE2_SIZE* ov = pcre2_get_ovector_pointer(st.data);
  begin = ov[0];
  end = ov[1];
  return true;
}

std::vector<match_region> regex::find_matches(std::string_view s) const {
  std::vector<match_region> out;
  if (s.empty()) {
    out.push_back({0, 0, false});
    return out;
  }
  size_t last = 0;
  for_each_match(s, [&](size_t b, size_t e) {
    if (last < b) out.push_back({last, b, false});
    out.push_back({b, e, true});
    last = e;
  });
  if (last < s.size()) out.push_back({last, s.size(), false});
  return out;
}

}  // namespace hf::engine::tok
