#include "template/value.hpp"

#include <algorithm>

#include "template/pyformat.hpp"
#include "template/text.hpp"

namespace hf::tmpl {

bool object::set_attribute(std::string_view, value) { return false; }
std::string object::to_str() const { return "<" + std::string(type_name()) + " object>"; }

value value::undefined(std::string hint) {
  return value(raw_tag{}, undefined_tag{std::make_shared<const std::string>(std::move(hint))});
}
value value::from_string(std::string s) {
  return value(raw_tag{}, std::make_shared<const std::string>(std::move(s)));
}
value value::from_list(list_t items) {
  return value(raw_tag{}, std::make_shared<const list_t>(std::move(items)));
}
value value::from_dict(dict_t items) {
  return value(raw_tag{}, std::make_shared<const dict_t>(std::move(items)));
}

std::int64_t value::as_int() const {
  if (is_bool()) return as_bool() ? 1 : 0;
  return std::get<std::int64_t>(v_);
}

double value::as_float() const {
  if (is_float()) return std::get<double>(v_);
  return static_cast<double>(as_int());
}

std::string value::undefined_message() const {
  const auto& hint = std::get<undefined_tag>(v_).hint;
  if (hint && !hint->empty()) return *hint;
  return "value is undefined";
}

bool value::truthy() const {
  switch (type()) {
    case kind::undefined:
    case kind::none: return false;
    case kind::boolean: return as_bool();
    case kind::integer: return as_int() != 0;
    case kind::floating: return as_float() != 0.0;
    case kind::string: return !as_string().empty();
    case kind::list: return !as_list().empty();
    case kind::dict: return !as_dict().empty();
    case kind::object:
    case kind::function: return true;
  }
  return false;
}

std::string_view value::type_name() const {
  switch (type()) {
    case kind::undefined: return "Undefined";
    case kind::none: return "NoneType";
    case kind::boolean: return "bool";
    case kind::integer: return "int";
    case kind::floating: return "float";
    case kind::string: return "str";
    case kind::list: return "list";
    case kind::dict: return "dict";
    case kind::object: return as_object().type_name();
    case kind::function: return "function";
  }
  return "object";
}

const value* dict_t::find(std::string_view key) const {
  for (const auto& e : entries_)
    if (e.first == key) return &e.second;
  return nullptr;
}

void dict_t::set(std::string key, value v) {
  for (auto& e : entries_) {
    if (e.first == key) {
      e.second = std::move(v);
      return;
    }
  }
  entries_.emplace_back(std::move(key), std::move(v));
}

namespace {

void append_repr(std::string& out, const value& v) {
  switch (v.type()) {
    case value::kind::string: out += pyformat::string_repr(v.as_string()); return;
    case value::kind::undefined: out += "Undefined"; return;
    case value::kind::list: {
      out += '[';
      bool first = true;
      for (const auto& item : v.as_list()) {
        if (!first) out += ", ";
        first = false;
        append_repr(out, item);
      }
      out += ']';
      return;
    }
    case value::kind::dict: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.as_dict()) {
        if (!first) out += ", ";
        first = false;
        out += pyformat::string_repr(k);
        out += ": ";
        append_repr(out, item);
      }
      out += '}';
      return;
    }
    default: append_str(out, v);
  }
}

}  // namespace

void append_str(std::string& out, const value& v) {
  switch (v.type()) {
    case value::kind::undefined: return;
    case value::kind::none: out += "None"; return;
    case value::kind::boolean: out += v.as_bool() ? "True" : "False"; return;
    case value::kind::integer: out += std::to_string(v.as_int()); return;
    case value::kind::floating: out += pyformat::float_repr(v.as_float()); return;
    case value::kind::string: out += v.as_string(); return;
    case value::kind::list:
    case value::kind::dict: append_repr(out, v); return;
    case value::kind::object: out += v.as_object().to_str(); return;
    case value::kind::function: out += "<function " + std::string(v.as_function().name()) + ">"; return;
  }
}

std::string to_str(const value& v) {
  if (v.is_string()) return v.as_string();
  std::string out;
  append_str(out, v);
  return out;
}

std::string repr(const value& v) {
  if (v.is_undefined()) return "Undefined";
  std::string out;
  append_repr(out, v);
  return out;
}

bool equals(const value& a, const value& b) {
  using k = value::kind;
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) return a.as_float() == b.as_float();
    return a.as_int() == b.as_int();
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case k::undefined:
    case k::none: return true;
    case k::string: return a.as_string() == b.as_string();
    case k::list: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i)
        if (!equals(x[i], y[i])) return false;
      return true;
    }
    case k::dict: {
      const auto& x = a.as_dict();
      const auto& y = b.as_dict();
      if (x.size() != y.size()) return false;
      for (const auto& [key, item] : x) {
        const value* other = y.find(key);
        if (!other || !equals(item, *other)) return false;
      }
      return true;
    }
    case k::object: return &a.as_object() == &b.as_object();
    case k::function: return &a.as_function() == &b.as_function();
    default: return false;
  }
}

int compare(const value& a, const value& b) {
  if (a.is_number() && b.is_number()) {
    if (a.is_float() || b.is_float()) {
      double x = a.as_float(), y = b.as_float();
      return x < y ? -1 : (y < x ? 1 : 0);
    }
    auto x = a.as_int(), y = b.as_int();
    return x < y ? -1 : (y < x ? 1 : 0);
  }
  if (a.is_string() && b.is_string()) {
    // UTF-8 byte order is code point order, which is what Python compares.
    int c = a.as_string().compare(b.as_string());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.is_list() && b.is_list()) {
    const auto& x = a.as_list();
    const auto& y = b.as_list();
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (equals(x[i], y[i])) continue;
      return compare(x[i], y[i]);
    }
    return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
  }
  if (a.is_undefined() || b.is_undefined())
    throw eval_error((a.is_undefined() ? a : b).undefined_message());
  throw eval_error("'<' not supported between instances of '" + std::string(a.type_name()) + "' and '" +
                   std::string(b.type_name()) + "'");
}

bool contains(const value& container, const value& item) {
  switch (container.type()) {
    case value::kind::undefined: return false;
    case value::kind::string:
      if (!item.is_string())
        throw eval_error("'in <string>' requires string as left operand, not " + std::string(item.type_name()));
      return container.as_string().find(item.as_string()) != std::string::npos;
    case value::kind::list:
      return std::any_of(container.as_list().begin(), container.as_list().end(),
                         [&](const value& x) { return equals(x, item); });
    case value::kind::dict: return item.is_string() && container.as_dict().find(item.as_string()) != nullptr;
    default:
      throw eval_error("argument of type '" + std::string(container.type_name()) + "' is not iterable");
  }
}

list_t iterate(const value& v) {
  switch (v.type()) {
    case value::kind::undefined: return {};
    case value::kind::list: return v.as_list();
    case value::kind::dict: {
      list_t keys;
      keys.reserve(v.as_dict().size());
      for (const auto& e : v.as_dict()) keys.push_back(value::from_string(e.first));
      return keys;
    }
    case value::kind::string: {
      list_t chars;
      const auto& s = v.as_string();
      for (std::size_t pos = 0; pos < s.size();) {
        std::size_t start = pos;
        text::decode(s, pos);
        chars.push_back(value::from_string(s.substr(start, pos - start)));
      }
      return chars;
    }
    default: throw eval_error("'" + std::string(v.type_name()) + "' object is not iterable");
  }
}

std::size_t length(const value& v) {
  switch (v.type()) {
    case value::kind::undefined: return 0;
    case value::kind::string: return text::length(v.as_string());
    case value::kind::list: return v.as_list().size();
    case value::kind::dict: return v.as_dict().size();
    default: throw eval_error("object of type '" + std::string(v.type_name()) + "' has no len()");
  }
}

}  // namespace hf::tmpl
