// Python's text forms of scalars, which rendered templates must reproduce byte for byte:
// repr(float) (shortest round-trip, "1.0", "1e-05", "1e+16", "inf") and repr(str) (quote choice
// and escapes).
//   pyformat::float_repr(0.1 + 0.2) == "0.30000000000000004"
#pragma once
#include <string>
#include <string_view>

namespace hf::tmpl::pyformat {

std::string float_repr(double d);
std::string string_repr(std::string_view s);

}  // namespace hf::tmpl::pyformat
