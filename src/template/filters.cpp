#include "template/filters.hpp"

#include "template/filters_impl.hpp"

namespace hf::tmpl {
namespace {

const filter_table& table() {
  static const filter_table t = [] {
    filter_table out;
    add_text_filters(out);
    add_sequence_filters(out);
    return out;
  }();
  return t;
}

}  // namespace

bool filter_exists(std::string_view name) { return table().count(name) != 0; }

value apply_filter(evaluator& ev, std::string_view name, value input, call_args args) {
  auto it = table().find(name);
  if (it == table().end()) throw eval_error("no filter named '" + std::string(name) + "'");
  return it->second(ev, std::move(input), std::move(args));
}

}  // namespace hf::tmpl
