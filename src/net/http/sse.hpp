// Server-sent events framing (HTML Living Standard, "Server-sent events"): an event is optional
// "event:" and "id:" lines, one "data:" line per line of the payload (split at CRLF, LF or CR),
// and a blank line. Comments (": text") keep idle connections open through proxies.
//   std::string out;  http::sse::append_event(out, "line one\nline two", "delta");
//   // "event: delta\ndata: line one\ndata: line two\n\n"
#pragma once
#include <string>
#include <string_view>

namespace hf::net::http::sse {

// std::invalid_argument if event_name or id holds CR or LF (they would end the field early).
void append_event(std::string& out, std::string_view data, std::string_view event_name = {},
                  std::string_view id = {});
// ": text\n\n" (text split per line like data).
void append_comment(std::string& out, std::string_view text);

}  // namespace hf::net::http::sse
