#include "template/lexer.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "template/error.hpp"
#include "template/text.hpp"

namespace hf::tmpl {
namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Jinja2 splits the source at \r\n, \r and \n, joins it with \n and drops one trailing newline.
std::string normalize_newlines(std::string_view src, bool keep_trailing_newline) {
  std::string out;
  out.reserve(src.size());
  for (std::size_t i = 0; i < src.size(); ++i) {
    if (src[i] == '\r') {
      out += '\n';
      if (i + 1 < src.size() && src[i + 1] == '\n') ++i;
    } else {
      out += src[i];
    }
  }
  if (!keep_trailing_newline && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class lexer {
 public:
  lexer(std::string_view src, const options& opts)
      : src_(normalize_newlines(src, opts.keep_trailing_newline)), opts_(opts) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < src_.size(); ++i)
      if (src_[i] == '\n') line_starts_.push_back(i + 1);
  }

  std::vector<token> run() {
    std::size_t pos = 0;
    while (pos < src_.size()) pos = lex_root(pos);
    push(token_kind::eof, "", src_.size());
    return std::move(tokens_);
  }

 private:
  enum class tag { variable, block, comment };

  [[noreturn]] void fail(const std::string& msg, std::size_t at) const {
    auto [line, col] = location(at);
    throw template_error(msg, line, col);
  }

  std::pair<int, int> location(std::size_t at) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), at);
    auto line = static_cast<int>(it - line_starts_.begin());
    return {line, static_cast<int>(at - line_starts_[static_cast<std::size_t>(line - 1)]) + 1};
  }

  token& push(token_kind kind, std::string text, std::size_t at) {
    auto [line, col] = location(at);
    tokens_.push_back(token{kind, std::move(text), 0, 0.0, line, col});
    return tokens_.back();
  }

  // Data before a tag, with Jinja2's "-" stripping and lstrip_blocks applied, then the tag itself.
  void emit_data(std::size_t from, std::size_t to, char sign, bool is_variable) {
    std::string_view text(src_.data() + from, to - from);
    if (sign == '-') {
      text = text.substr(0, text::strip(text, std::nullopt, text::side::right).size());
    } else if (sign != '+' && opts_.lstrip_blocks && !is_variable) {
      std::size_t line_pos = text.rfind('\n');
      line_pos = line_pos == std::string_view::npos ? 0 : line_pos + 1;
      if (line_pos > 0 || line_starting_) {
        bool blank = std::all_of(text.begin() + static_cast<std::ptrdiff_t>(line_pos), text.end(),
                                 [](char c) { return c == ' ' || c == '\t'; });
        if (blank) text = text.substr(0, line_pos);
      }
    }
    if (!text.empty()) push(token_kind::data, std::string(text), from);
  }

  // Python's \s*: all Unicode whitespace, as Jinja2's "-" strips it.
  std::size_t skip_space(std::size_t pos) const {
    while (pos < src_.size()) {
      std::size_t next = pos;
      if (!text::is_space(text::decode(src_, next))) break;
      pos = next;
    }
    return pos;
  }

  // After a block or comment end: "-" eats all whitespace, "+" nothing, else trim_blocks one \n.
  std::size_t after_block_end(std::size_t pos, char sign) {
    if (sign == '-') {
      pos = skip_space(pos);
    } else if (sign != '+' && opts_.trim_blocks && pos < src_.size() && src_[pos] == '\n') {
      ++pos;
    }
    return pos;
  }

  void mark_line_start(std::size_t end) { line_starting_ = end > 0 && src_[end - 1] == '\n'; }

  std::size_t lex_root(std::size_t pos) {
    std::size_t q = pos;
    while (true) {
      q = src_.find('{', q);
      if (q == std::string::npos || q + 1 >= src_.size()) {
        emit_data(pos, src_.size(), '+', true);
        return src_.size();
      }
      char c = src_[q + 1];
      if (c == '{' || c == '%' || c == '#') break;
      ++q;
    }
    char kind = src_[q + 1];
    char sign = q + 2 < src_.size() && (src_[q + 2] == '-' || src_[q + 2] == '+') ? src_[q + 2] : '\0';
    std::size_t inner = q + 2 + (sign ? 1 : 0);
    if (kind == '%') {
      if (std::size_t raw_end = match_raw_begin(inner); raw_end != 0) {
        emit_data(pos, q, sign, false);
        line_starting_ = false;
        return lex_raw(raw_end, q);
      }
    }
    emit_data(pos, q, sign, kind == '{');
    line_starting_ = false;
    if (kind == '#') return lex_comment(inner, q);
    push(kind == '{' ? token_kind::var_begin : token_kind::block_begin, "", q);
    return lex_tag(inner, kind == '{' ? tag::variable : tag::block, q);
  }

  // `{% raw %}` (also `{%- raw -%}`): returns the position after it, or 0 when this is not one.
  std::size_t match_raw_begin(std::size_t pos) const {
    while (pos < src_.size() && is_ws(src_[pos])) ++pos;
    if (src_.compare(pos, 3, "raw") != 0) return 0;
    pos += 3;
    while (pos < src_.size() && is_ws(src_[pos])) ++pos;
    if (src_.compare(pos, 3, "-%}") == 0) return skip_space(pos + 3);
    if (src_.compare(pos, 2, "%}") == 0) return pos + 2;  // Jinja2 applies no trim_blocks here
    return 0;
  }

  std::size_t lex_raw(std::size_t pos, std::size_t begin) {
    for (std::size_t q = src_.find("{%", pos); q != std::string::npos; q = src_.find("{%", q + 1)) {
      std::size_t p = q + 2;
      char sign = p < src_.size() && (src_[p] == '-' || src_[p] == '+') ? src_[p] : '\0';
      if (sign) ++p;
      while (p < src_.size() && is_ws(src_[p])) ++p;
      if (src_.compare(p, 6, "endraw") != 0) continue;
      p += 6;
      while (p < src_.size() && is_ws(src_[p])) ++p;
      char end_sign = '\0';
      if (src_.compare(p, 3, "-%}") == 0 || src_.compare(p, 3, "+%}") == 0) {
        end_sign = src_[p];
        p += 3;
      } else if (src_.compare(p, 2, "%}") == 0) {
        p += 2;
      } else {
        continue;
      }
      mark_line_start(pos);
      emit_data(pos, q, sign, false);
      p = after_block_end(p, end_sign);
      mark_line_start(p);
      return p;
    }
    fail("missing end of raw directive", begin);
  }

  std::size_t lex_comment(std::size_t pos, std::size_t begin) {
    std::size_t e = src_.find("#}", pos);
    if (e == std::string::npos) fail("missing end of comment tag", begin);
    char sign = e > pos && (src_[e - 1] == '-' || src_[e - 1] == '+') ? src_[e - 1] : '\0';
    std::size_t end = after_block_end(e + 2, sign);
    mark_line_start(end);
    return end;
  }

  std::size_t lex_tag(std::size_t pos, tag kind, std::size_t begin) {
    std::vector<char> brackets;
    while (true) {
      while (pos < src_.size() && is_ws(src_[pos])) ++pos;
      if (pos >= src_.size())
        fail(kind == tag::block ? "unexpected end of template, expected '%}'"
                                : "unexpected end of template, expected '}}'",
             begin);
      if (brackets.empty()) {
        if (std::size_t end = match_tag_end(pos, kind); end != 0) {
          mark_line_start(end);
          return end;
        }
      }
      pos = lex_token(pos, brackets);
    }
  }

  std::size_t match_tag_end(std::size_t pos, tag kind) {
    if (kind == tag::variable) {
      if (src_.compare(pos, 3, "-}}") == 0) {
        push(token_kind::var_end, "", pos);
        return skip_space(pos + 3);
      }
      if (src_.compare(pos, 2, "}}") == 0) {
        push(token_kind::var_end, "", pos);
        return pos + 2;
      }
      return 0;
    }
    char sign = '\0';
    std::size_t p = pos;
    if (src_[p] == '-' || src_[p] == '+') sign = src_[p++];
    if (src_.compare(p, 2, "%}") != 0) return 0;
    push(token_kind::block_end, "", pos);
    return after_block_end(p + 2, sign);
  }

  std::size_t lex_token(std::size_t pos, std::vector<char>& brackets) {
    char c = src_[pos];
    if (is_digit(c)) return lex_number(pos);
    if (is_name_start(c)) {
      std::size_t end = pos;
      while (end < src_.size() && is_name_char(src_[end])) ++end;
      push(token_kind::name, src_.substr(pos, end - pos), pos);
      return end;
    }
    if (c == '\'' || c == '"') return lex_string(pos);
    static constexpr std::string_view two[] = {"//", "**", "==", "!=", "<=", ">="};
    for (auto op : two) {
      if (src_.compare(pos, 2, op) == 0) {
        push(token_kind::op, std::string(op), pos);
        return pos + 2;
      }
    }
    static constexpr std::string_view one = "+-/*%~[](){}<>=.:|,;";
    if (one.find(c) == std::string_view::npos) fail(std::string("unexpected char '") + c + "'", pos);
    if (c == '(' || c == '[' || c == '{') {
      brackets.push_back(c);
    } else if (c == ')' || c == ']' || c == '}') {
      char open = c == ')' ? '(' : (c == ']' ? '[' : '{');
      if (brackets.empty()) fail(std::string("unexpected '") + c + "'", pos);
      if (brackets.back() != open) {
        char expected = brackets.back() == '(' ? ')' : (brackets.back() == '[' ? ']' : '}');
        fail(std::string("unexpected '") + c + "', expected '" + expected + "'", pos);
      }
      brackets.pop_back();
    }
    push(token_kind::op, std::string(1, c), pos);
    return pos + 1;
  }

  // Digits with optional underscores between them.
  std::size_t digits(std::size_t pos, bool (*ok)(char)) const {
    while (pos < src_.size() && (ok(src_[pos]) || (src_[pos] == '_' && pos + 1 < src_.size() && ok(src_[pos + 1]))))
      ++pos;
    return pos;
  }

  std::size_t lex_number(std::size_t pos) {
    auto strip_underscores = [](std::string_view s) {
      std::string out;
      for (char ch : s)
        if (ch != '_') out += ch;
      return out;
    };
    if (src_[pos] == '0' && pos + 1 < src_.size() && std::strchr("xXoObB", src_[pos + 1])) {
      char k = static_cast<char>(std::tolower(static_cast<unsigned char>(src_[pos + 1])));
      int base = k == 'x' ? 16 : (k == 'o' ? 8 : 2);
      std::size_t end = pos + 2;
      while (end < src_.size() && (std::isxdigit(static_cast<unsigned char>(src_[end])) || src_[end] == '_')) ++end;
      std::string body = strip_underscores(src_.substr(pos + 2, end - pos - 2));
      std::int64_t v = 0;
      auto res = std::from_chars(body.data(), body.data() + body.size(), v, base);
      if (body.empty() || res.ec != std::errc() || res.ptr != body.data() + body.size())
        fail("invalid integer literal", pos);
      push(token_kind::integer, src_.substr(pos, end - pos), pos).int_value = v;
      return end;
    }
    std::size_t end = digits(pos, is_digit);
    bool is_float = false;
    // Jinja2 does not lex a float right after a dot, so `x.0.1` is two subscripts.
    bool after_dot = pos > 0 && src_[pos - 1] == '.';
    if (!after_dot && end + 1 < src_.size() && src_[end] == '.' && is_digit(src_[end + 1])) {
      end = digits(end + 1, is_digit);
      is_float = true;
    }
    if (!after_dot && end < src_.size() && (src_[end] == 'e' || src_[end] == 'E')) {
      std::size_t p = end + 1;
      if (p < src_.size() && (src_[p] == '+' || src_[p] == '-')) ++p;
      if (p < src_.size() && is_digit(src_[p])) {
        end = digits(p, is_digit);
        is_float = true;
      }
    }
    std::string text = strip_underscores(src_.substr(pos, end - pos));
    if (is_float) {
      push(token_kind::floating, text, pos).float_value = std::strtod(text.c_str(), nullptr);
    } else {
      std::int64_t v = 0;
      auto res = std::from_chars(text.data(), text.data() + text.size(), v);
      if (res.ec != std::errc()) fail("integer literal out of range", pos);
      push(token_kind::integer, text, pos).int_value = v;
    }
    return end;
  }

  std::size_t lex_string(std::size_t pos) {
    char quote = src_[pos];
    std::string out;
    std::size_t p = pos + 1;
    auto hex = [&](std::size_t at, int n) -> char32_t {
      if (at + static_cast<std::size_t>(n) > src_.size()) fail("truncated \\x/\\u escape in string", at);
      std::uint32_t v = 0;
      auto res = std::from_chars(src_.data() + at, src_.data() + at + n, v, 16);
      if (res.ptr != src_.data() + at + n) fail("truncated \\x/\\u escape in string", at);
      return v;
    };
    while (true) {
      if (p >= src_.size()) fail("unterminated string literal", pos);
      char c = src_[p];
      if (c == quote) break;
      if (c != '\\') {
        out += c;
        ++p;
        continue;
      }
      if (p + 1 >= src_.size()) fail("unterminated string literal", pos);
      char e = src_[p + 1];
      p += 2;
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case '\n': break;  // backslash-newline continues the line
        case 'x': text::append_utf8(out, hex(p, 2)); p += 2; break;
        case 'u': text::append_utf8(out, hex(p, 4)); p += 4; break;
        case 'U': text::append_utf8(out, hex(p, 8)); p += 8; break;
        default:
          if (e >= '0' && e <= '7') {
            char32_t v = static_cast<char32_t>(e - '0');
            for (int i = 0; i < 2 && p < src_.size() && src_[p] >= '0' && src_[p] <= '7'; ++i, ++p)
              v = v * 8 + static_cast<char32_t>(src_[p] - '0');
            text::append_utf8(out, v);
          } else {
            out += '\\';  // Python keeps unknown escapes as written
            out += e;
          }
      }
    }
    push(token_kind::string, std::move(out), pos);
    return p + 1;
  }

  std::string src_;
  const options& opts_;
  std::vector<std::size_t> line_starts_;
  std::vector<token> tokens_;
  bool line_starting_ = true;
};

}  // namespace

std::vector<token> tokenize(std::string_view source, const options& opts) {
  return lexer(source, opts).run();
}

}  // namespace hf::tmpl
