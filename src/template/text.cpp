#include "template/text.hpp"

#include <algorithm>

namespace hf::tmpl::text {

char32_t decode(std::string_view s, std::size_t& pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  auto cont = [&](std::size_t i) {
    return pos + i < s.size() && (static_cast<unsigned char>(s[pos + i]) & 0xC0) == 0x80;
  };
  auto bits = [&](std::size_t i) { return static_cast<char32_t>(s[pos + i] & 0x3F); };
  if (b0 < 0x80) {
    ++pos;
    return b0;
  }
  if ((b0 & 0xE0) == 0xC0 && cont(1)) {
    char32_t cp = (static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1);
    pos += 2;
    return cp;
  }
  if ((b0 & 0xF0) == 0xE0 && cont(1) && cont(2)) {
    char32_t cp = (static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2);
    pos += 3;
    return cp;
  }
  if ((b0 & 0xF8) == 0xF0 && cont(1) && cont(2) && cont(3)) {
    char32_t cp = (static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3);
    pos += 4;
    return cp;
  }
  ++pos;
  return b0;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t length(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t pos = 0; pos < s.size(); ++n) decode(s, pos);
  return n;
}

std::vector<std::size_t> boundaries(std::string_view s) {
  std::vector<std::size_t> out;
  out.reserve(s.size() + 1);
  for (std::size_t pos = 0; pos < s.size();) {
    out.push_back(pos);
    decode(s, pos);
  }
  out.push_back(s.size());
  return out;
}

bool is_space(char32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 ||
         cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

namespace {

// Code points of `chars`, or nullopt for "Python whitespace".
bool strip_match(char32_t cp, const std::optional<std::u32string>& set) {
  if (!set) return is_space(cp);
  return set->find(cp) != std::u32string::npos;
}

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (std::size_t pos = 0; pos < s.size();) out += decode(s, pos);
  return out;
}

}  // namespace

std::string strip(std::string_view s, const std::optional<std::string>& chars, side which) {
  std::optional<std::u32string> set;
  if (chars) set = to_u32(*chars);
  auto bounds = boundaries(s);
  std::size_t first = 0;
  std::size_t last = bounds.size() - 1;  // index of the end boundary
  if (which != side::right) {
    while (first < last) {
      std::size_t pos = bounds[first];
      if (!strip_match(decode(s, pos), set)) break;
      ++first;
    }
  }
  if (which != side::left) {
    while (last > first) {
      std::size_t pos = bounds[last - 1];
      if (!strip_match(decode(s, pos), set)) break;
      --last;
    }
  }
  return std::string(s.substr(bounds[first], bounds[last] - bounds[first]));
}

namespace {

// Whitespace runs as separators: returns [start, end) byte ranges of the words.
std::vector<std::pair<std::size_t, std::size_t>> words(std::string_view s) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t pos = 0;
  std::size_t start = std::string_view::npos;
  while (pos < s.size()) {
    std::size_t at = pos;
    bool space = is_space(decode(s, pos));
    if (space && start != std::string_view::npos) {
      out.emplace_back(start, at);
      start = std::string_view::npos;
    } else if (!space && start == std::string_view::npos) {
      start = at;
    }
  }
  if (start != std::string_view::npos) out.emplace_back(start, s.size());
  return out;
}

}  // namespace

std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep,
                               long long maxsplit) {
  std::vector<std::string> out;
  if (!sep) {
    auto ranges = words(s);
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      if (maxsplit >= 0 && static_cast<long long>(i) == maxsplit) {
        out.emplace_back(s.substr(ranges[i].first));  // the remainder keeps its whitespace, like Python
        break;
      }
      out.emplace_back(s.substr(ranges[i].first, ranges[i].second - ranges[i].first));
    }
    return out;
  }
  std::size_t start = 0;
  long long done = 0;
  while (maxsplit < 0 || done < maxsplit) {
    std::size_t at = s.find(*sep, start);
    if (at == std::string_view::npos) break;
    out.emplace_back(s.substr(start, at - start));
    start = at + sep->size();
    ++done;
  }
  out.emplace_back(s.substr(start));
  return out;
}

std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string>& sep,
                                long long maxsplit) {
  std::vector<std::string> out;
  if (!sep) {
    auto ranges = words(s);
    long long done = 0;
    for (std::size_t i = ranges.size(); i-- > 0;) {
      if (maxsplit >= 0 && done == maxsplit) {
        out.emplace_back(s.substr(0, ranges[i].second));
        break;
      }
      out.emplace_back(s.substr(ranges[i].first, ranges[i].second - ranges[i].first));
      ++done;
    }
    std::reverse(out.begin(), out.end());
    return out;
  }
  std::size_t end = s.size();
  long long done = 0;
  while (maxsplit < 0 || done < maxsplit) {
    if (end < sep->size()) break;
    std::size_t at = s.rfind(*sep, end - sep->size());
    if (at == std::string_view::npos) break;
    out.emplace_back(s.substr(at + sep->size(), end - at - sep->size()));
    end = at;
    ++done;
  }
  out.emplace_back(s.substr(0, end));
  std::reverse(out.begin(), out.end());
  return out;
}

std::vector<std::string> splitlines(std::string_view s, bool keepends) {
  std::vector<std::string> out;
  std::size_t start = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t at = pos;
    char32_t cp = decode(s, pos);
    bool brk = cp == '\n' || cp == '\r' || cp == 0x0B || cp == 0x0C || (cp >= 0x1C && cp <= 0x1E) ||
               cp == 0x85 || cp == 0x2028 || cp == 0x2029;
    if (!brk) continue;
    if (cp == '\r' && pos < s.size() && s[pos] == '\n') ++pos;
    out.emplace_back(s.substr(start, (keepends ? pos : at) - start));
    start = pos;
  }
  if (start < s.size()) out.emplace_back(s.substr(start));
  return out;
}

std::string replace(std::string_view s, std::string_view from, std::string_view to, long long count) {
  std::string out;
  if (from.empty()) {
    // Python inserts `to` before every code point and at the end.
    auto bounds = boundaries(s);
    long long done = 0;
    for (std::size_t i = 0; i + 1 < bounds.size(); ++i) {
      if (count < 0 || done < count) {
        out += to;
        ++done;
      }
      out += s.substr(bounds[i], bounds[i + 1] - bounds[i]);
    }
    if (count < 0 || done < count) out += to;
    return out;
  }
  std::size_t start = 0;
  long long done = 0;
  while (count < 0 || done < count) {
    std::size_t at = s.find(from, start);
    if (at == std::string_view::npos) break;
    out += s.substr(start, at - start);
    out += to;
    start = at + from.size();
    ++done;
  }
  out += s.substr(start);
  return out;
}

namespace {

// Simple (one-to-one) case mappings for the scripts chat content commonly uses.
char32_t to_upper_cp(char32_t c) {
  if (c >= 'a' && c <= 'z') return c - 32;
  if (c < 0x80) return c;
  if (c == 0xB5) return 0x39C;
  if ((c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 32;
  if (c == 0xFF) return 0x178;
  if (c == 0x131) return 'I';
  if (c == 0x17F) return 'S';
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (c & 1) ? c - 1 : c;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c : c - 1;
  if (c == 0x3C2) return 0x3A3;
  if (c >= 0x3B1 && c <= 0x3CB) return c - 32;
  if (c == 0x3AC) return 0x386;
  if (c >= 0x3AD && c <= 0x3AF) return c - 37;
  if (c == 0x3CC) return 0x38C;
  if (c == 0x3CD || c == 0x3CE) return c - 63;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF)) return (c & 1) ? c - 1 : c;
  if (c >= 0xFF41 && c <= 0xFF5A) return c - 32;
  return c;
}

char32_t to_lower_cp(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c < 0x80) return c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c == 0x178) return 0xFF;
  if (c == 0x130) return 'i';
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) return (c & 1) ? c : c + 1;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) return (c & 1) ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) return c + 32;
  if (c == 0x386) return 0x3AC;
  if (c >= 0x388 && c <= 0x38A) return c + 37;
  if (c == 0x38C) return 0x3CC;
  if (c == 0x38E || c == 0x38F) return c + 63;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF)) return (c & 1) ? c : c + 1;
  if (c >= 0xFF21 && c <= 0xFF3A) return c + 32;
  return c;
}

bool is_cased(char32_t c) { return to_upper_cp(c) != c || to_lower_cp(c) != c || c == 0xDF; }

void append_upper(std::string& out, char32_t c) {
  if (c == 0xDF) {
    out += "SS";  // Python's full mapping of ß
    return;
  }
  append_utf8(out, to_upper_cp(c));
}

template <class F>
std::string map_cps(std::string_view s, F&& f) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t pos = 0; pos < s.size();) f(out, decode(s, pos));
  return out;
}

}  // namespace

std::string upper(std::string_view s) {
  return map_cps(s, [](std::string& out, char32_t c) { append_upper(out, c); });
}

std::string lower(std::string_view s) {
  return map_cps(s, [](std::string& out, char32_t c) { append_utf8(out, to_lower_cp(c)); });
}

std::string capitalize(std::string_view s) {
  bool first = true;
  return map_cps(s, [&](std::string& out, char32_t c) {
    if (first) append_upper(out, c);
    else append_utf8(out, to_lower_cp(c));
    first = false;
  });
}

std::string title_words(std::string_view s) {
  bool prev_cased = false;
  return map_cps(s, [&](std::string& out, char32_t c) {
    if (prev_cased) append_utf8(out, to_lower_cp(c));
    else append_upper(out, c);
    prev_cased = is_cased(c);
  });
}

std::string jinja_title(std::string_view s) {
  // Jinja splits at runs of [-\s({[<] and upper-cases the first character of every other piece.
  auto is_sep = [](char32_t c) { return is_space(c) || c == '-' || c == '(' || c == '{' || c == '[' || c == '<'; };
  bool at_start = true;
  return map_cps(s, [&](std::string& out, char32_t c) {
    if (is_sep(c)) {
      append_utf8(out, c);
      at_start = true;
      return;
    }
    if (at_start) append_upper(out, c);
    else append_utf8(out, to_lower_cp(c));
    at_start = false;
  });
}

namespace {
template <class Pred>
bool cased_check(std::string_view s, Pred&& wrong_case) {
  bool any_cased = false;
  for (std::size_t pos = 0; pos < s.size();) {
    char32_t c = decode(s, pos);
    if (!is_cased(c)) continue;
    if (wrong_case(c)) return false;
    any_cased = true;
  }
  return any_cased;
}
}  // namespace

bool is_lower(std::string_view s) {
  return cased_check(s, [](char32_t c) { return to_lower_cp(c) != c; });
}

bool is_upper(std::string_view s) {
  return cased_check(s, [](char32_t c) { return to_upper_cp(c) != c || c == 0xDF; });
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::size_t word_count(std::string_view s) {
  // \w in Python is Unicode-aware; every non-ASCII letter-like code point counts as a word character
  // except the whitespace and general punctuation blocks.
  auto is_word = [](char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    return !is_space(c) && !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F) &&
           !(c >= 0xA0 && c <= 0xBF) && c != 0xD7 && c != 0xF7;
  };
  std::size_t n = 0;
  bool in_word = false;
  for (std::size_t pos = 0; pos < s.size();) {
    bool w = is_word(decode(s, pos));
    if (w && !in_word) ++n;
    in_word = w;
  }
  return n;
}

}  // namespace hf::tmpl::text
