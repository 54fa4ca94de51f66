#include "template/args.hpp"

namespace hf::tmpl {

bound_args::bound_args(std::string_view callee, call_args args, std::initializer_list<std::string_view> params)
    : callee_(callee), names_(params), values_(params.size()), given_(params.size(), false) {
  if (args.positional.size() > params.size())
    throw eval_error(callee_ + "() takes at most " + std::to_string(params.size()) + " argument(s), " +
                     std::to_string(args.positional.size()) + " given");
  for (std::size_t i = 0; i < args.positional.size(); ++i) {
    values_[i] = std::move(args.positional[i]);
    given_[i] = true;
  }
  for (auto& [name, v] : args.named) {
    std::size_t i = 0;
    while (i < names_.size() && names_[i] != name) ++i;
    if (i == names_.size()) throw eval_error(callee_ + "() got an unexpected keyword argument '" + name + "'");
    if (given_[i]) throw eval_error(callee_ + "() got multiple values for argument '" + name + "'");
    values_[i] = std::move(v);
    given_[i] = true;
  }
}

std::optional<std::string> bound_args::opt_string(std::size_t i) const {
  if (!given_[i] || values_[i].is_none()) return std::nullopt;
  if (!values_[i].is_string())
    throw eval_error(callee_ + "(): argument '" + std::string(names_[i]) + "' must be a string, not " +
                     std::string(values_[i].type_name()));
  return values_[i].as_string();
}

std::string bound_args::string_or(std::size_t i, std::string_view fallback) const {
  auto s = opt_string(i);
  return s ? *s : std::string(fallback);
}

std::int64_t bound_args::int_or(std::size_t i, std::int64_t fallback) const {
  if (!given_[i] || values_[i].is_none()) return fallback;
  if (!values_[i].is_int() && !values_[i].is_bool())
    throw eval_error(callee_ + "(): argument '" + std::string(names_[i]) + "' must be an integer, not " +
                     std::string(values_[i].type_name()));
  return values_[i].as_int();
}

bool bound_args::bool_or(std::size_t i, bool fallback) const {
  if (!given_[i]) return fallback;
  return values_[i].truthy();
}

}  // namespace hf::tmpl
