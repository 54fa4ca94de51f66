// Writing HTTP/1.1 message heads and chunk framing by hand into a reused std::string: no
// allocation once the buffer has grown, one send per response. Also the cached Date value.
//   out.clear(); http::wire::status_line(out, 11, http::status::ok, {});
//   http::wire::field(out, "Content-Type", "application/json");
//   http::wire::content_length(out, body.size()); out += "\r\n"; out += body;
#pragma once
#include <cstddef>
#include <ctime>
#include <string>
#include <string_view>

#include "net/http/status.hpp"

namespace hf::net::http::wire {

// "HTTP/1.1 404 Not Found\r\n" (reason empty: the standard phrase).
void status_line(std::string& out, int version, status s, std::string_view reason);
// "Name: value\r\n". Values with CR or LF are rejected (std::invalid_argument): response
// splitting must be impossible whatever a handler puts in a header.
void field(std::string& out, std::string_view name, std::string_view value);
void content_length(std::string& out, std::size_t n);
// "<hex size>\r\n" of one chunk of a chunked body.
void chunk_header(std::string& out, std::size_t n);
inline constexpr std::string_view last_chunk = "0\r\n\r\n";
// Fields the server writes itself (Content-Length, Transfer-Encoding, Connection): a handler's
// copies are skipped.
bool is_framing_field(std::string_view name) noexcept;

// IMF-fixdate of the current second ("Sun, 06 Nov 1994 08:49:37 GMT"), formatted once per second.
class date_cache {
 public:
  std::string_view now();

 private:
  std::time_t last_ = -1;
  char text_[40] = {};
  std::size_t len_ = 0;
};

}  // namespace hf::net::http::wire
