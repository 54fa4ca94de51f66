// Jinja2's built-in filters that chat templates use (trim, tojson, selectattr, map, join, ...),
// with Jinja2's argument names and results. tojson follows HF's override: json.dumps with
// ensure_ascii=False and optional indent/separators/sort_keys.
//   value v = apply_filter(ev, "upper", value::from_string("hi"), {});  // "HI"
#pragma once
#include <string_view>

#include "template/value.hpp"

namespace hf::tmpl {

bool filter_exists(std::string_view name);
// Throws eval_error for an unknown filter or bad arguments.
value apply_filter(evaluator& ev, std::string_view name, value input, call_args args);

}  // namespace hf::tmpl
