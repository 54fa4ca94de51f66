// Splits template source into tokens the way Jinja2's lexer does: data between tags, tag
// delimiters, and the names/literals/operators inside tags. Whitespace control (-, +),
// trim_blocks, lstrip_blocks and newline normalisation are applied here, so the parser never
// sees whitespace it must drop.
//   auto tokens = tokenize("Hi {{ name }}!", options{});  // data, var_begin, name, var_end, data
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "template/options.hpp"

namespace hf::tmpl {

enum class token_kind : std::uint8_t {
  data,         // literal text to output
  var_begin,    // {{
  var_end,      // }}
  block_begin,  // {%
  block_end,    // %}
  name,
  string,       // text holds the decoded value
  integer,
  floating,
  op,           // text holds the operator, e.g. "//", "==", "("
  eof,
};

struct token {
  token_kind kind;
  std::string text;
  std::int64_t int_value = 0;
  double float_value = 0.0;
  int line = 0;
  int column = 0;
};

// Throws template_error (with line/column) on an unterminated tag, comment, raw block or string,
// an unexpected character, or unbalanced brackets.
std::vector<token> tokenize(std::string_view source, const options& opts);

}  // namespace hf::tmpl
