// Global functions available to every template: range, dict, namespace, and the two HF adds to
// its chat-template environment, raise_exception (throws template_raised) and strftime_now.
//   value f = global_value("range");  // undefined when no such global
#pragma once
#include <string_view>

#include "template/value.hpp"

namespace hf::tmpl {

value global_value(std::string_view name);

}  // namespace hf::tmpl
