#include "template/tests.hpp"

#include <unordered_map>

#include "template/args.hpp"
#include "template/filters.hpp"
#include "template/operators.hpp"
#include "template/text.hpp"

namespace hf::tmpl {
namespace {

using test_fn = bool (*)(const value&, call_args);

value one_arg(std::string_view name, call_args args) {
  bound_args a(name, std::move(args), {"other"});
  if (!a.has(0)) throw eval_error(std::string(name) + "() missing required argument 'other'");
  return a[0];
}

void no_args(std::string_view name, call_args args) { bound_args(name, std::move(args), {}); }

bool is_identical(const value& a, const value& b) {
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case value::kind::string: return a.string_ptr_value() == b.string_ptr_value() || a.as_string() == b.as_string();
    case value::kind::list: return a.list_ptr_value() == b.list_ptr_value();
    case value::kind::dict: return a.dict_ptr_value() == b.dict_ptr_value();
    case value::kind::object: return &a.as_object() == &b.as_object();
    case value::kind::function: return &a.as_function() == &b.as_function();
    default: return equals(a, b);
  }
}

#define HF_TEST_NOARG(fname, expr)            \
  bool fname(const value& v, call_args args) { \
    no_args(#fname, std::move(args));          \
    return (expr);                             \
  }

HF_TEST_NOARG(t_defined, !v.is_undefined())
HF_TEST_NOARG(t_undefined, v.is_undefined())
HF_TEST_NOARG(t_none, v.is_none())
HF_TEST_NOARG(t_boolean, v.is_bool())
HF_TEST_NOARG(t_true, v.is_bool() && v.as_bool())
HF_TEST_NOARG(t_false, v.is_bool() && !v.as_bool())
HF_TEST_NOARG(t_integer, v.is_int())
HF_TEST_NOARG(t_float, v.is_float())
HF_TEST_NOARG(t_number, v.is_number())
HF_TEST_NOARG(t_string, v.is_string())
HF_TEST_NOARG(t_mapping, v.is_dict())
// Jinja2's Undefined iterates as empty and has len() and __getitem__.
HF_TEST_NOARG(t_iterable, v.is_string() || v.is_list() || v.is_dict() || v.is_undefined())
HF_TEST_NOARG(t_sequence, v.is_string() || v.is_list() || v.is_dict() || v.is_undefined())
HF_TEST_NOARG(t_callable, v.is_function() || v.is_undefined())
HF_TEST_NOARG(t_lower, text::is_lower(to_str(v)))
HF_TEST_NOARG(t_upper, text::is_upper(to_str(v)))
HF_TEST_NOARG(t_odd, equals(binary(binary_op::mod, v, value::integer(2)), value::integer(1)))
HF_TEST_NOARG(t_even, equals(binary(binary_op::mod, v, value::integer(2)), value::integer(0)))
#undef HF_TEST_NOARG

// Only Markup objects are "escaped"; templates here never hold any.
bool t_escaped(const value&, call_args args) {
  no_args("escaped", std::move(args));
  return false;
}
bool t_divisibleby(const value& v, call_args args) {
  bound_args a("divisibleby", std::move(args), {"num"});
  return equals(binary(binary_op::mod, v, a[0]), value::integer(0));
}
bool t_eq(const value& v, call_args args) { return equals(v, one_arg("eq", std::move(args))); }
bool t_ne(const value& v, call_args args) { return !equals(v, one_arg("ne", std::move(args))); }
bool t_lt(const value& v, call_args args) { return compare(v, one_arg("lt", std::move(args))) < 0; }
bool t_le(const value& v, call_args args) { return compare(v, one_arg("le", std::move(args))) <= 0; }
bool t_gt(const value& v, call_args args) { return compare(v, one_arg("gt", std::move(args))) > 0; }
bool t_ge(const value& v, call_args args) { return compare(v, one_arg("ge", std::move(args))) >= 0; }
bool t_in(const value& v, call_args args) {
  bound_args a("in", std::move(args), {"seq"});
  return contains(a[0], v);
}
bool t_sameas(const value& v, call_args args) { return is_identical(v, one_arg("sameas", std::move(args))); }
bool t_filter(const value& v, call_args args) {
  no_args("filter", std::move(args));
  return v.is_string() && filter_exists(v.as_string());
}
bool t_test(const value& v, call_args args) {
  no_args("test", std::move(args));
  return v.is_string() && test_exists(v.as_string());
}

const std::unordered_map<std::string_view, test_fn>& table() {
  static const std::unordered_map<std::string_view, test_fn> t = {
      {"defined", t_defined},   {"undefined", t_undefined}, {"none", t_none},         {"boolean", t_boolean},
      {"true", t_true},         {"false", t_false},         {"integer", t_integer},   {"float", t_float},
      {"number", t_number},     {"string", t_string},       {"mapping", t_mapping},   {"iterable", t_iterable},
      {"sequence", t_sequence}, {"callable", t_callable},   {"escaped", t_escaped},   {"lower", t_lower},
      {"upper", t_upper},       {"odd", t_odd},             {"even", t_even},         {"divisibleby", t_divisibleby},
      {"eq", t_eq},             {"equalto", t_eq},          {"==", t_eq},             {"ne", t_ne},
      {"!=", t_ne},             {"lt", t_lt},               {"lessthan", t_lt},       {"<", t_lt},
      {"le", t_le},             {"<=", t_le},               {"gt", t_gt},             {"greaterthan", t_gt},
      {">", t_gt},              {"ge", t_ge},               {">=", t_ge},             {"in", t_in},
      {"sameas", t_sameas},     {"filter", t_filter},       {"test", t_test},
  };
  return t;
}

}  // namespace

bool test_exists(std::string_view name) { return table().count(name) != 0; }

bool apply_test(evaluator&, std::string_view name, const value& input, call_args args) {
  auto it = table().find(name);
  if (it == table().end()) throw eval_error("no test named '" + std::string(name) + "'");
  return it->second(input, std::move(args));
}

}  // namespace hf::tmpl
