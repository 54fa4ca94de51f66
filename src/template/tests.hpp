// Jinja2's built-in tests for `x is name(args)`: defined, none, string, mapping, iterable,
// equalto, divisibleby, ... with Python semantics (True is a number but not an integer).
//   bool b = apply_test(ev, "divisibleby", value::integer(9), {{value::integer(3)}, {}});
#pragma once
#include <string_view>

#include "template/value.hpp"

namespace hf::tmpl {

bool test_exists(std::string_view name);
// Throws eval_error for an unknown test or bad arguments.
bool apply_test(evaluator& ev, std::string_view name, const value& input, call_args args);

}  // namespace hf::tmpl
