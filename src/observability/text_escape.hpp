// Escaping shared by the log formats: JSON-style backslash escapes for control characters, and
// replacement of invalid UTF-8 by U+FFFD so that every emitted line is valid UTF-8 (and valid
// JSON). Usage: std::string s = "\""; append_escaped(s, value, escape_quotes::yes); s += '"';
#pragma once
#include <string>
#include <string_view>

namespace hf::obs {

enum class escape_quotes : bool { no = false, yes = true };

// Appends `s` with control characters escaped (\n, \t, \r, \b, \f, otherwise \u00XX); with
// escape_quotes::yes also '"' and '\\' (inside a quoted string); invalid UTF-8 bytes -> U+FFFD.
void append_escaped(std::string& out, std::string_view s, escape_quotes quotes);

// True when a text-format value must be quoted to be read back unambiguously: empty, or holding a
// space, '"', '=', '\\' or a control character.
bool needs_quotes(std::string_view s);

}  // namespace hf::obs
