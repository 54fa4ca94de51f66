#include "net/http/sse.hpp"

#include <stdexcept>

namespace hf::net::http::sse {
namespace {
// Writes `prefix` + line + "\n" for each line of text; an empty text still gives one line.
void append_lines(std::string& out, std::string_view prefix, std::string_view text) {
  for (;;) {
    std::size_t eol = text.find_first_of("\r\n");
    out.append(prefix).append(text.substr(0, eol)).push_back('\n');
    if (eol == std::string_view::npos) return;
    std::size_t skip =
        (text[eol] == '\r' && eol + 1 < text.size() && text[eol + 1] == '\n') ? 2 : 1;
    text.remove_prefix(eol + skip);
  }
}
void check_field(std::string_view what, std::string_view value) {
  if (value.find_first_of("\r\n") != std::string_view::npos) {
    throw std::invalid_argument("server-sent event " + std::string(what) +
                                " may not contain CR or LF: '" + std::string(value) + "'");
  }
}
}  // namespace

void append_event(std::string& out, std::string_view data, std::string_view event_name,
                  std::string_view id) {
  check_field("name", event_name);
  check_field("id", id);
  if (!event_name.empty()) out.append("event: ").append(event_name).push_back('\n');
  if (!id.empty()) out.append("id: ").append(id).push_back('\n');
  append_lines(out, "data: ", data);
  out.push_back('\n');
}

void append_comment(std::string& out, std::string_view text) {
  append_lines(out, ": ", text);
  out.push_back('\n');
}

}  // namespace hf::net::http::sse
