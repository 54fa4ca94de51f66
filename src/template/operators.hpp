// Python/Jinja2 semantics of the operators: arithmetic (+ - * / // % **), unary minus, attribute
// and item access with Jinja2's fallbacks (obj.x tries the attribute, then the item; obj['x'] the
// reverse; misses give undefined), and slicing with Python's rules. Shared by the evaluator and by
// filters that take attribute paths (map, selectattr, sort).
//   value v = get_item(list, value::integer(-1), /*chainable=*/false);
#pragma once
#include <optional>
#include <string_view>

#include "template/ast.hpp"
#include "template/value.hpp"

namespace hf::tmpl {

// All binary operators except `and`/`or` (which short-circuit in the evaluator).
value binary(binary_op op, const value& a, const value& b);
value negate(const value& v);
value unary_plus(const value& v);

// obj.name. On undefined: throws eval_error, or returns undefined when chainable.
value get_attribute(const value& obj, std::string_view name, bool chainable);
// obj[key].
value get_item(const value& obj, const value& key, bool chainable);
// obj[start:stop:step] on lists and strings (code points); absent parts are nullopt or None.
value slice(const value& obj, const value& start, const value& stop, const value& step);
// Jinja2's attribute paths for filters: "a.b.0" -> obj['a']['b'][0] with item-first lookup.
value attribute_path(const value& obj, std::string_view path, bool chainable);

}  // namespace hf::tmpl
