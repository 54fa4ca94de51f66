#include "template/methods.hpp"

#include <algorithm>
#include <array>

#include "template/args.hpp"
#include "template/pyformat.hpp"
#include "template/text.hpp"

namespace hf::tmpl {
namespace {

constexpr std::array<std::string_view, 26> string_methods = {
    "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "upper",
    "lower", "title", "capitalize", "replace", "find", "rfind", "count", "join", "isdigit", "isalpha",
    "isalnum", "isspace", "islower", "isupper", "removeprefix", "removesuffix", "index"};
constexpr std::array<std::string_view, 5> dict_methods = {"items", "keys", "values", "get", "copy"};
constexpr std::array<std::string_view, 2> list_methods = {"index", "count"};
// Present in Python but refused by the immutable sandbox.
constexpr std::array<std::string_view, 5> dict_unsafe = {"clear", "pop", "popitem", "setdefault", "update"};
constexpr std::array<std::string_view, 8> list_unsafe = {"append", "extend", "insert", "pop",
                                                         "remove", "reverse", "sort", "clear"};

template <class A>
bool in(const A& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool is_unsafe(const value& self, std::string_view name) {
  return (self.is_dict() && in(dict_unsafe, name)) || (self.is_list() && in(list_unsafe, name));
}

class bound_method final : public function {
 public:
  bound_method(value self, std::string name) : self_(std::move(self)), name_(std::move(name)) {}
  std::string_view name() const override { return name_; }
  value call(evaluator& ev, call_args args) const override { return call_method(ev, self_, name_, std::move(args)); }

 private:
  value self_;
  std::string name_;
};

value string_list(std::vector<std::string> parts) {
  list_t out;
  out.reserve(parts.size());
  for (auto& p : parts) out.push_back(value::from_string(std::move(p)));
  return value::from_list(std::move(out));
}

// startswith/endswith accept a string or a tuple (list) of strings.
bool affix_match(const std::string& s, const value& affix, bool prefix, std::string_view method) {
  auto one = [&](const value& a) {
    if (!a.is_string())
      throw eval_error(std::string(method) + " first arg must be str or a tuple of str, not " +
                       std::string(a.type_name()));
    const auto& x = a.as_string();
    if (x.size() > s.size()) return false;
    return prefix ? s.compare(0, x.size(), x) == 0 : s.compare(s.size() - x.size(), x.size(), x) == 0;
  };
  if (affix.is_list()) return std::any_of(affix.as_list().begin(), affix.as_list().end(), one);
  return one(affix);
}

template <class Pred>
bool all_cps(const std::string& s, Pred&& p) {
  if (s.empty()) return false;
  for (std::size_t pos = 0; pos < s.size();)
    if (!p(text::decode(s, pos))) return false;
  return true;
}

bool is_alpha_cp(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return !text::is_space(c) && !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F) &&
         !(c >= 0xA0 && c <= 0xBF);
}

std::int64_t code_point_index(const std::string& s, std::size_t byte_pos) {
  return static_cast<std::int64_t>(text::length(std::string_view(s).substr(0, byte_pos)));
}

value call_string_method(const std::string& s, std::string_view name, call_args args) {
  std::string callee = "str." + std::string(name);
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    bound_args a(callee, std::move(args), {"chars"});
    auto which = name == "strip" ? text::side::both : (name == "lstrip" ? text::side::left : text::side::right);
    return value::from_string(text::strip(s, a.opt_string(0), which));
  }
  if (name == "split" || name == "rsplit") {
    bound_args a(callee, std::move(args), {"sep", "maxsplit"});
    auto sep = a.opt_string(0);
    if (sep && sep->empty()) throw eval_error("empty separator");
    auto max = a.int_or(1, -1);
    return string_list(name == "split" ? text::split(s, sep, max) : text::rsplit(s, sep, max));
  }
  if (name == "splitlines") {
    bound_args a(callee, std::move(args), {"keepends"});
    return string_list(text::splitlines(s, a.bool_or(0, false)));
  }
  if (name == "startswith" || name == "endswith") {
    bound_args a(callee, std::move(args), {"prefix"});
    if (!a.has(0)) throw eval_error(callee + "() takes at least 1 argument (0 given)");
    return value::boolean(affix_match(s, a[0], name == "startswith", callee));
  }
  if (name == "removeprefix" || name == "removesuffix") {
    bound_args a(callee, std::move(args), {"affix"});
    std::string affix = a.string_or(0, "");
    bool prefix = name == "removeprefix";
    if (affix_match(s, value::from_string(affix), prefix, callee))
      return value::from_string(prefix ? s.substr(affix.size()) : s.substr(0, s.size() - affix.size()));
    return value::from_string(s);
  }
  if (name == "upper" || name == "lower" || name == "title" || name == "capitalize") {
    bound_args a(callee, std::move(args), {});
    if (name == "upper") return value::from_string(text::upper(s));
    if (name == "lower") return value::from_string(text::lower(s));
    if (name == "title") return value::from_string(text::title_words(s));
    return value::from_string(text::capitalize(s));
  }
  if (name == "replace") {
    bound_args a(callee, std::move(args), {"old", "new", "count"});
    if (!a.has(0) || !a.has(1)) throw eval_error("str.replace() takes at least 2 arguments");
    return value::from_string(text::replace(s, a.string_or(0, ""), a.string_or(1, ""), a.int_or(2, -1)));
  }
  if (name == "find" || name == "rfind" || name == "index" || name == "count") {
    bound_args a(callee, std::move(args), {"sub"});
    std::string sub = a.string_or(0, "");
    if (name == "count") {
      if (sub.empty()) return value::integer(static_cast<std::int64_t>(text::length(s)) + 1);
      std::int64_t n = 0;
      for (std::size_t at = s.find(sub); at != std::string::npos; at = s.find(sub, at + sub.size())) ++n;
      return value::integer(n);
    }
    std::size_t at = name == "rfind" ? s.rfind(sub) : s.find(sub);
    if (at == std::string::npos) {
      if (name == "index") throw eval_error("substring not found");
      return value::integer(-1);
    }
    return value::integer(code_point_index(s, at));
  }
  if (name == "join") {
    bound_args a(callee, std::move(args), {"iterable"});
    std::string out;
    std::size_t i = 0;
    for (const auto& item : iterate(a[0])) {
      if (!item.is_string())
        throw eval_error("sequence item " + std::to_string(i) + ": expected str instance, " +
                         std::string(item.type_name()) + " found");
      if (i++ > 0) out += s;
      out += item.as_string();
    }
    return value::from_string(std::move(out));
  }
  bound_args a(callee, std::move(args), {});
  if (name == "isdigit") return value::boolean(all_cps(s, [](char32_t c) { return c >= '0' && c <= '9'; }));
  if (name == "isalpha") return value::boolean(all_cps(s, is_alpha_cp));
  if (name == "isalnum")
    return value::boolean(all_cps(s, [](char32_t c) { return is_alpha_cp(c) || (c >= '0' && c <= '9'); }));
  if (name == "isspace") return value::boolean(all_cps(s, text::is_space));
  if (name == "islower") return value::boolean(text::is_lower(s));
  if (name == "isupper") return value::boolean(text::is_upper(s));
  throw eval_error("'str' object has no attribute " + pyformat::string_repr(name));
}

value call_dict_method(const value& self, std::string_view name, call_args args) {
  std::string callee = "dict." + std::string(name);
  const auto& d = self.as_dict();
  if (name == "get") {
    bound_args a(callee, std::move(args), {"key", "default"});
    if (!a.has(0)) throw eval_error("dict.get() takes at least 1 argument (0 given)");
    if (a[0].is_string()) {
      if (const value* v = d.find(a[0].as_string())) return *v;
    }
    return a.has(1) ? a[1] : value::none();
  }
  bound_args a(callee, std::move(args), {});
  if (name == "copy") return self;
  list_t out;
  out.reserve(d.size());
  for (const auto& [k, v] : d) {
    if (name == "keys") out.push_back(value::from_string(k));
    else if (name == "values") out.push_back(v);
    else out.push_back(value::from_list(list_t{value::from_string(k), v}));
  }
  return value::from_list(std::move(out));
}

value call_list_method(const value& self, std::string_view name, call_args args) {
  bound_args a("list." + std::string(name), std::move(args), {"value"});
  const auto& items = self.as_list();
  if (name == "count")
    return value::integer(std::count_if(items.begin(), items.end(), [&](const value& x) { return equals(x, a[0]); }));
  for (std::size_t i = 0; i < items.size(); ++i)
    if (equals(items[i], a[0])) return value::integer(static_cast<std::int64_t>(i));
  throw eval_error(repr(a[0]) + " is not in list");
}

}  // namespace

bool has_method(const value& self, std::string_view name) {
  switch (self.type()) {
    case value::kind::string: return in(string_methods, name);
    case value::kind::dict: return in(dict_methods, name) || in(dict_unsafe, name);
    case value::kind::list: return in(list_methods, name) || in(list_unsafe, name);
    default: return false;
  }
}

value bind_method(const value& self, std::string_view name) {
  if (is_unsafe(self, name))
    return value::undefined("access to attribute " + pyformat::string_repr(name) + " of '" +
                            std::string(self.type_name()) + "' object is unsafe.");
  return value::from_function(std::make_shared<const bound_method>(self, std::string(name)));
}

value call_method(evaluator&, const value& self, std::string_view name, call_args args) {
  if (is_unsafe(self, name))
    throw eval_error("access to attribute " + pyformat::string_repr(name) + " of '" + std::string(self.type_name()) +
                     "' object is unsafe.");
  if (!has_method(self, name))
    throw eval_error("'" + std::string(self.type_name()) + "' object has no attribute " + pyformat::string_repr(name));
  switch (self.type()) {
    case value::kind::string: return call_string_method(self.as_string(), name, std::move(args));
    case value::kind::dict: return call_dict_method(self, name, std::move(args));
    default: return call_list_method(self, name, std::move(args));
  }
}

}  // namespace hf::tmpl
