// Internal: the filter table is filled by one function per group of filters, each in its own
// file (text and number filters, sequence filters).
//   filter_table t; add_text_filters(t); add_sequence_filters(t);
#pragma once
#include <string_view>
#include <unordered_map>

#include "template/value.hpp"

namespace hf::tmpl {

using filter_fn = value (*)(evaluator&, value, call_args);
using filter_table = std::unordered_map<std::string_view, filter_fn>;

void add_text_filters(filter_table& table);
void add_sequence_filters(filter_table& table);

}  // namespace hf::tmpl
