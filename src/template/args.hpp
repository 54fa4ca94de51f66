// Binds call arguments to named parameters the way Python does for builtins: positionals first,
// then keywords by name. Too many positionals, unknown or repeated keywords throw eval_error
// naming the callee. Used by filters, tests, methods and global functions.
//   bound_args a("indent", std::move(args), {"width", "first", "blank"});
//   auto width = a.int_or(0, 4);
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "template/value.hpp"

namespace hf::tmpl {

class bound_args {
 public:
  bound_args(std::string_view callee, call_args args, std::initializer_list<std::string_view> params);

  bool has(std::size_t i) const { return given_[i]; }
  // The argument, or undefined when it was not given.
  const value& operator[](std::size_t i) const { return values_[i]; }
  // A string argument; nullopt when absent or None; throws when another type.
  std::optional<std::string> opt_string(std::size_t i) const;
  std::string string_or(std::size_t i, std::string_view fallback) const;
  std::int64_t int_or(std::size_t i, std::int64_t fallback) const;
  bool bool_or(std::size_t i, bool fallback) const;  // Python truthiness of the argument

 private:
  std::string callee_;
  std::vector<std::string_view> names_;
  std::vector<value> values_;
  std::vector<bool> given_;
};

}  // namespace hf::tmpl
