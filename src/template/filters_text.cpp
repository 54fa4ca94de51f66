// Text and number filters: trim, upper, lower, title, capitalize, replace, indent, escape,
// wordcount, center, string, safe, tojson, int, float, abs, round, default.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "template/args.hpp"
#include "template/filters_impl.hpp"
#include "template/json_bridge.hpp"
#include "template/text.hpp"

namespace hf::tmpl {
namespace {

std::string str_of(const value& v) { return to_str(v); }

value f_trim(evaluator&, value v, call_args args) {
  bound_args a("trim", std::move(args), {"chars"});
  return value::from_string(text::strip(str_of(v), a.opt_string(0)));
}
value f_upper(evaluator&, value v, call_args args) {
  bound_args("upper", std::move(args), {});
  return value::from_string(text::upper(str_of(v)));
}
value f_lower(evaluator&, value v, call_args args) {
  bound_args("lower", std::move(args), {});
  return value::from_string(text::lower(str_of(v)));
}
value f_title(evaluator&, value v, call_args args) {
  bound_args("title", std::move(args), {});
  return value::from_string(text::jinja_title(str_of(v)));
}
value f_capitalize(evaluator&, value v, call_args args) {
  bound_args("capitalize", std::move(args), {});
  return value::from_string(text::capitalize(str_of(v)));
}
value f_string(evaluator&, value v, call_args args) {
  bound_args("string", std::move(args), {});
  return v.is_string() ? v : value::from_string(str_of(v));
}
value f_safe(evaluator&, value v, call_args args) {
  bound_args("safe", std::move(args), {});
  return v.is_string() ? v : value::from_string(str_of(v));
}
value f_escape(evaluator&, value v, call_args args) {
  bound_args("escape", std::move(args), {});
  return value::from_string(text::html_escape(str_of(v)));
}
value f_wordcount(evaluator&, value v, call_args args) {
  bound_args("wordcount", std::move(args), {});
  return value::integer(static_cast<std::int64_t>(text::word_count(str_of(v))));
}

value f_replace(evaluator&, value v, call_args args) {
  bound_args a("replace", std::move(args), {"old", "new", "count"});
  if (!a.has(0) || !a.has(1)) throw eval_error("replace() requires 'old' and 'new'");
  return value::from_string(text::replace(str_of(v), str_of(a[0]), str_of(a[1]), a.int_or(2, -1)));
}

value f_center(evaluator&, value v, call_args args) {
  bound_args a("center", std::move(args), {"width"});
  std::string s = str_of(v);
  auto width = a.int_or(0, 80);
  auto len = static_cast<std::int64_t>(text::length(s));
  if (width <= len) return value::from_string(s);
  // CPython's str.center: the odd extra space goes left when width is odd.
  std::int64_t margin = width - len;
  std::int64_t left = margin / 2 + (margin & width & 1);
  return value::from_string(std::string(static_cast<std::size_t>(left), ' ') + s +
                            std::string(static_cast<std::size_t>(margin - left), ' '));
}

value f_indent(evaluator&, value v, call_args args) {
  bound_args a("indent", std::move(args), {"width", "first", "blank"});
  std::string indention = a[0].is_string() ? a[0].as_string() : std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, a.int_or(0, 4))), ' ');
  bool first = a.bool_or(1, false);
  bool blank = a.bool_or(2, false);
  // Jinja2 appends a newline before splitlines() so a trailing newline survives.
  auto lines = text::splitlines(str_of(v) + "\n");
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) {
      out += '\n';
      if (blank || !lines[i].empty()) out += indention;
    }
    out += lines[i];
  }
  if (first) out = indention + out;
  return value::from_string(std::move(out));
}

value f_tojson(evaluator&, value v, call_args args) {
  bound_args a("tojson", std::move(args), {"ensure_ascii", "indent", "separators", "sort_keys"});
  dumps_options opts;
  opts.ensure_ascii = a.bool_or(0, false);
  if (a.has(1) && !a[1].is_none()) {
    if (a[1].is_string()) opts.indent = a[1].as_string();
    else opts.indent = std::string(static_cast<std::size_t>(std::max<std::int64_t>(0, a.int_or(1, 0))), ' ');
  }
  if (a.has(2) && !a[2].is_none()) {
    const value& seps = a[2];
    if (!seps.is_list() || seps.as_list().size() != 2 || !seps.as_list()[0].is_string() ||
        !seps.as_list()[1].is_string())
      throw eval_error("tojson(): separators must be a pair of strings");
    opts.item_separator = seps.as_list()[0].as_string();
    opts.key_separator = seps.as_list()[1].as_string();
  }
  opts.sort_keys = a.bool_or(3, false);
  return value::from_string(dumps(v, opts));
}

// Python int(text, base): surrounding whitespace, a sign, an optional 0x/0o/0b prefix matching the
// base, and single underscores between digits.
std::optional<std::int64_t> parse_python_int(const std::string& raw, int base) {
  std::string s = text::strip(raw);
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  auto has_prefix = [&](char p) {
    return i + 1 < s.size() && s[i] == '0' && (s[i + 1] == p || s[i + 1] == p - 32);
  };
  if ((base == 16 && has_prefix('x')) || (base == 8 && has_prefix('o')) || (base == 2 && has_prefix('b'))) {
    i += 2;
    if (i < s.size() && s[i] == '_') ++i;
  }
  std::string digits;
  bool last_underscore = true;  // no leading underscore
  for (; i < s.size(); ++i) {
    if (s[i] == '_') {
      if (last_underscore) return std::nullopt;
      last_underscore = true;
      continue;
    }
    digits += s[i];
    last_underscore = false;
  }
  if (digits.empty() || last_underscore) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(digits.c_str(), &end, base);
  if (*end != '\0' || errno == ERANGE || digits[0] == '+' || digits[0] == '-' || digits[0] == ' ') return std::nullopt;
  return negative ? -v : v;
}

// Python float(text): decimal or exponent notation with underscores between digits, inf, nan.
std::optional<double> parse_python_float(const std::string& raw) {
  std::string s = text::strip(raw);
  std::string lowered = text::lower(s);
  std::string body = lowered;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body.erase(0, 1);
  if (body == "inf" || body == "infinity" || body == "nan") {
    double d = body == "nan" ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
    return lowered[0] == '-' ? -d : d;
  }
  std::string clean;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      bool ok = i > 0 && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i - 1])) &&
                std::isdigit(static_cast<unsigned char>(s[i + 1]));
      if (!ok) return std::nullopt;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
      return std::nullopt;
    clean += c;
  }
  if (clean.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(clean.c_str(), &end);
  if (*end != '\0' || end == clean.c_str()) return std::nullopt;
  return d;
}

value f_int(evaluator&, value v, call_args args) {
  bound_args a("int", std::move(args), {"default", "base"});
  value fallback = a.has(0) ? a[0] : value::integer(0);
  auto base = a.int_or(1, 10);
  if (v.is_undefined()) throw eval_error(v.undefined_message());
  if (v.is_int() || v.is_bool()) return value::integer(v.as_int());
  auto from_float = [&](double d) -> value {
    if (std::isnan(d)) return fallback;
    if (std::isinf(d) || std::fabs(d) >= 9.2e18) throw eval_error("cannot convert float infinity to integer");
    return value::integer(static_cast<std::int64_t>(std::trunc(d)));
  };
  if (v.is_float()) return from_float(v.as_float());
  if (v.is_string()) {
    if (auto i = parse_python_int(v.as_string(), static_cast<int>(base))) return value::integer(*i);
    if (auto d = parse_python_float(v.as_string())) return from_float(*d);
  }
  return fallback;
}

value f_float(evaluator&, value v, call_args args) {
  bound_args a("float", std::move(args), {"default"});
  value fallback = a.has(0) ? a[0] : value::floating(0.0);
  if (v.is_undefined()) throw eval_error(v.undefined_message());
  if (v.is_number()) return value::floating(v.as_float());
  if (v.is_string()) {
    if (auto d = parse_python_float(v.as_string())) return value::floating(*d);
  }
  return fallback;
}

value f_abs(evaluator&, value v, call_args args) {
  bound_args("abs", std::move(args), {});
  if (v.is_int() || v.is_bool()) {
    if (v.as_int() == std::numeric_limits<std::int64_t>::min()) throw eval_error("integer overflow");
    return value::integer(std::llabs(v.as_int()));
  }
  if (v.is_float()) return value::floating(std::fabs(v.as_float()));
  if (v.is_undefined()) throw eval_error(v.undefined_message());
  throw eval_error("bad operand type for abs(): '" + std::string(v.type_name()) + "'");
}

value f_round(evaluator&, value v, call_args args) {
  bound_args a("round", std::move(args), {"precision", "method"});
  auto precision = a.int_or(0, 0);
  std::string method = a.string_or(1, "common");
  if (method != "common" && method != "floor" && method != "ceil")
    throw eval_error("method must be common, ceil or floor");
  if (v.is_undefined()) throw eval_error(v.undefined_message());
  if (!v.is_number()) throw eval_error("type " + std::string(v.type_name()) + " doesn't define __round__ method");
  if (method == "common") {
    // Python's round(x, n): an int stays an int; floats round half to even on the exact value,
    // which is what glibc's printf does.
    if (!v.is_float() && precision >= 0) return value::integer(v.as_int());
    if (precision < 0 || precision > 300) {
      double scale = std::pow(10.0, static_cast<double>(-precision));
      double r = std::nearbyint(v.as_float() / scale) * scale;
      return v.is_float() ? value::floating(r) : value::integer(static_cast<std::int64_t>(r));
    }
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.*f", static_cast<int>(precision), v.as_float());
    return value::floating(std::strtod(buf, nullptr));
  }
  double scale = std::pow(10.0, static_cast<double>(precision));
  double x = v.as_float() * scale;
  return value::floating((method == "floor" ? std::floor(x) : std::ceil(x)) / scale);
}

value f_default(evaluator&, value v, call_args args) {
  bound_args a("default", std::move(args), {"default_value", "boolean"});
  value fallback = a.has(0) ? a[0] : value::from_string("");
  if (v.is_undefined() || (a.bool_or(1, false) && !v.truthy())) return fallback;
  return v;
}

}  // namespace

void add_text_filters(filter_table& t) {
  t.emplace("trim", f_trim);
  t.emplace("upper", f_upper);
  t.emplace("lower", f_lower);
  t.emplace("title", f_title);
  t.emplace("capitalize", f_capitalize);
  t.emplace("string", f_string);
  t.emplace("safe", f_safe);
  t.emplace("escape", f_escape);
  t.emplace("e", f_escape);
  t.emplace("forceescape", f_escape);
  t.emplace("wordcount", f_wordcount);
  t.emplace("replace", f_replace);
  t.emplace("center", f_center);
  t.emplace("indent", f_indent);
  t.emplace("tojson", f_tojson);
  t.emplace("int", f_int);
  t.emplace("float", f_float);
  t.emplace("abs", f_abs);
  t.emplace("round", f_round);
  t.emplace("default", f_default);
  t.emplace("d", f_default);
}

}  // namespace hf::tmpl
