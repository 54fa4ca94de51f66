// Python methods of str, dict and list that chat templates call (message.content.strip(),
// d.items(), s.split('\n'), ...). Mutating methods (list.append, dict.update, ...) are refused
// like in HF's immutable sandbox.
//   if (has_method(v, "strip")) result = call_method(ev, v, "strip", {});
#pragma once
#include <string_view>

#include "template/value.hpp"

namespace hf::tmpl {

// Whether self's type has a method of that name (the unsafe ones included, so that
// `x.append` yields an undefined that explains why instead of a missing attribute).
bool has_method(const value& self, std::string_view name);
// A callable bound to self, or an undefined value explaining that the method is unsafe.
value bind_method(const value& self, std::string_view name);
// Calls self.name(args). Throws eval_error for unknown or unsafe methods and bad arguments.
value call_method(evaluator& ev, const value& self, std::string_view name, call_args args);

}  // namespace hf::tmpl
