// The values a template computes with, modelled on the Python objects Jinja2 sees: Undefined, None,
// bool, int, float, str, list, dict, plus objects (namespace, loop) and callables (macros, builtins,
// bound methods). Copies are cheap: strings and containers are shared and immutable, as in HF's
// immutable sandbox; only namespace objects change in place.
//   value v = value::from_string("hi"); if (v.truthy()) out += to_str(v);
#pragma once
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace hf::tmpl {

class value;
class dict_t;
class evaluator;
using list_t = std::vector<value>;

// A failure while rendering, without a location yet: the evaluator adds the line/column of the
// expression it was evaluating and rethrows it as template_error.
class eval_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Arguments of a call: positional values, then keyword arguments in call order.
struct call_args {
  std::vector<value> positional;
  std::vector<std::pair<std::string, value>> named;
};

// Something with attributes: namespace(...) objects and the loop variable.
class object {
 public:
  virtual ~object() = default;
  virtual std::string_view type_name() const = 0;
  // The attribute, or an undefined value when there is none.
  virtual value attribute(std::string_view name) const = 0;
  // Only namespaces accept `{% set ns.x = ... %}`; returns false for everything else.
  virtual bool set_attribute(std::string_view name, value v);
  virtual std::string to_str() const;
};

// Something callable: macros, global functions, bound methods, loop.cycle.
class function {
 public:
  virtual ~function() = default;
  virtual std::string_view name() const = 0;
  virtual value call(evaluator& ev, call_args args) const = 0;
};

class value {
 public:
  enum class kind : std::uint8_t {
    undefined, none, boolean, integer, floating, string, list, dict, object, function
  };

  value() = default;  // undefined without a hint
  static value undefined(std::string hint);
  static value none() { return value(raw_tag{}, none_tag{}); }
  static value boolean(bool b) { return value(raw_tag{}, b); }
  static value integer(std::int64_t i) { return value(raw_tag{}, i); }
  static value floating(double d) { return value(raw_tag{}, d); }
  static value from_string(std::string s);
  static value from_string(std::shared_ptr<const std::string> s) { return value(raw_tag{}, std::move(s)); }
  static value from_list(list_t items);
  static value from_list(std::shared_ptr<const list_t> items) { return value(raw_tag{}, std::move(items)); }
  static value from_dict(dict_t items);
  static value from_dict(std::shared_ptr<const dict_t> items) { return value(raw_tag{}, std::move(items)); }
  static value from_object(std::shared_ptr<object> o) { return value(raw_tag{}, std::move(o)); }
  static value from_function(std::shared_ptr<const function> f) { return value(raw_tag{}, std::move(f)); }

  kind type() const { return static_cast<kind>(v_.index()); }
  bool is_undefined() const { return type() == kind::undefined; }
  bool is_none() const { return type() == kind::none; }
  bool is_bool() const { return type() == kind::boolean; }
  bool is_int() const { return type() == kind::integer; }
  bool is_float() const { return type() == kind::floating; }
  // Python's numbers.Number: bool counts as a number (True + 1 == 2).
  bool is_number() const { return is_bool() || is_int() || is_float(); }
  bool is_string() const { return type() == kind::string; }
  bool is_list() const { return type() == kind::list; }
  bool is_dict() const { return type() == kind::dict; }
  bool is_object() const { return type() == kind::object; }
  bool is_function() const { return type() == kind::function; }

  bool as_bool() const { return std::get<bool>(v_); }
  std::int64_t as_int() const;   // bool or int
  double as_float() const;       // bool, int or float
  const std::string& as_string() const { return *std::get<string_ptr>(v_); }
  const list_t& as_list() const { return *std::get<list_ptr>(v_); }
  const dict_t& as_dict() const { return *std::get<dict_ptr>(v_); }
  object& as_object() const { return *std::get<object_ptr>(v_); }
  const function& as_function() const { return *std::get<function_ptr>(v_); }
  const std::shared_ptr<const std::string>& string_ptr_value() const { return std::get<string_ptr>(v_); }
  const std::shared_ptr<const list_t>& list_ptr_value() const { return std::get<list_ptr>(v_); }
  const std::shared_ptr<const dict_t>& dict_ptr_value() const { return std::get<dict_ptr>(v_); }
  // Why the value is undefined ("'foo' is undefined"), for the error raised when it is used.
  std::string undefined_message() const;

  // Python truthiness: undefined, None, False, 0, 0.0, "", [] and {} are false.
  bool truthy() const;
  // The Python type name used in error messages: 'str', 'int', 'NoneType', 'dict', ...
  std::string_view type_name() const;

 private:
  struct undefined_tag { std::shared_ptr<const std::string> hint; };
  struct none_tag {};
  using string_ptr = std::shared_ptr<const std::string>;
  using list_ptr = std::shared_ptr<const list_t>;
  using dict_ptr = std::shared_ptr<const dict_t>;
  using object_ptr = std::shared_ptr<object>;
  using function_ptr = std::shared_ptr<const function>;
  struct raw_tag {};
  template <class T>
  value(raw_tag, T&& v) : v_(std::forward<T>(v)) {}

  std::variant<undefined_tag, none_tag, bool, std::int64_t, double, string_ptr, list_ptr, dict_ptr,
               object_ptr, function_ptr>
      v_;
};

// A dict that keeps insertion order, like Python's. Keys are strings (JSON keys and the dict
// literals chat templates write); lookups are linear because template dicts are small.
class dict_t {
 public:
  using entry = std::pair<std::string, value>;
  const value* find(std::string_view key) const;
  // Inserts, or replaces the value in place (keeping the key's first position, as Python does).
  void set(std::string key, value v);
  // Appends without looking for the key: for sources whose keys are already unique (JSON objects).
  void append_unique(std::string key, value v) { entries_.emplace_back(std::move(key), std::move(v)); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void reserve(std::size_t n) { entries_.reserve(n); }
  std::vector<entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<entry> entries_;
};

// Python str(v): undefined -> "", None -> "None", True -> "True", floats as repr, containers as repr.
std::string to_str(const value& v);
void append_str(std::string& out, const value& v);
// Python repr(v): strings quoted, containers as Python prints them.
std::string repr(const value& v);
// Python ==: 1 == 1.0 == True, lists and dicts compare by content, undefined equals only undefined.
bool equals(const value& a, const value& b);
// Python ordering for <, <=, sort, min, max: numbers, strings, lists. Throws eval_error otherwise.
int compare(const value& a, const value& b);
// Python `item in container`: substring, list element, dict key; undefined contains nothing.
bool contains(const value& container, const value& item);
// The items a for loop sees: list items, dict keys, string characters, nothing for undefined.
list_t iterate(const value& v);
// Python len(); undefined has length 0.
std::size_t length(const value& v);

}  // namespace hf::tmpl
