// Settings of a template, fixed at parse time. The whitespace switches mean exactly what they mean
// in Jinja2; HF's apply_chat_template uses trim_blocks and lstrip_blocks.
//   auto t = template_::parse(src, options{.trim_blocks = true, .lstrip_blocks = true});
#pragma once
#include <ctime>
#include <functional>

namespace hf::tmpl {

struct options {
  bool trim_blocks = false;            // drop the first newline after a block tag or comment
  bool lstrip_blocks = false;          // drop spaces/tabs before a block tag or comment at line start
  bool keep_trailing_newline = false;  // Jinja2 drops one trailing newline of the template source
  // Jinja2's default Undefined raises on `undefined.attr`; ChainableUndefined returns undefined.
  bool chainable_undefined = false;
  // The clock strftime_now() reads; empty means the system clock (tests pin it).
  std::function<std::time_t()> clock;
};

}  // namespace hf::tmpl
