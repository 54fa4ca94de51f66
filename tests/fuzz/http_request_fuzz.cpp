// Fuzzes what a client controls on an HTTP connection before any handler runs: the HTTP/1.1
// request parser fed as a socket would feed it (the input arrives in pieces whose sizes the
// fuzzer picks, with pipelined messages), the query-string decoding of each parsed target, and
// the WebSocket frame-header parser and unmasking. The first input byte picks the piece size.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "net/http/request.hpp"
#include "net/http/request_parser.hpp"
#include "net/http/url.hpp"
#include "net/http/websocket_frame.hpp"

namespace {

using hf::net::http::request;
using hf::net::http::request_parser;
using result = request_parser::result;

constexpr std::size_t k_max_header = 4096;
constexpr std::size_t k_max_body = 8192;

// Reads every accessor a handler may use, so that a bad offset inside the request shows up.
void inspect(const request& req) {
  FUZZ_CHECK(req.path().size() <= req.target().size(), "the path is longer than the target");
  for (std::size_t i = 0; i < req.header_count(); ++i) {
    auto [name, value] = req.header_at(i);
    FUZZ_CHECK(req.header(name).has_value(), "a parsed header cannot be found by its name");
    (void)value;
  }
  FUZZ_CHECK(req.body().size() <= k_max_body, "the body passed the body limit");
  (void)req.query_params();
  (void)req.query_param("model");
  (void)hf::net::http::percent_decode(req.target(), /*plus_as_space=*/true);
}

// Feeds `input` to one parser the way connection.cpp does: the readable bytes grow by `piece`
// at a time; after a complete message the parser starts over on the bytes that are left.
void parse_stream(std::string_view input, std::size_t piece) {
  request_parser parser(k_max_header, k_max_body);
  request req;
  std::size_t begin = 0;  // first unconsumed byte
  std::size_t end = 0;    // bytes "received" so far
  for (int message = 0; message < 64 && begin < input.size(); ++message) {
    parser.start(req);
    bool in_body = false;
    for (;;) {
      const std::string_view readable = input.substr(begin, end - begin);
      std::size_t used = 0;
      const result r =
          in_body ? parser.parse_body(readable, used) : parser.parse_head(readable, used);
      FUZZ_CHECK(used <= readable.size(), "the parser consumed more than it was given");
      begin += used;
      if (r == result::head_done) {
        in_body = true;
        (void)parser.chunked();
        (void)parser.content_length();
        continue;
      }
      if (r == result::done) break;
      if (r != result::need_more) return;  // a 4xx: the connection would close here
      if (end == input.size()) return;     // the peer closed mid-message
      end = std::min(input.size(), end + piece);
    }
    inspect(req);
    if (!req.keep_alive()) return;
  }
}

void parse_frames(std::string_view input) {
  std::size_t at = 0;
  while (at < input.size()) {
    const auto h = hf::net::http::ws::parse_frame_header(input.substr(at));
    if (!h) return;
    FUZZ_CHECK(h->size >= 2 && h->size <= 14 && at + h->size <= input.size(),
               "a frame header's size is out of range");
    at += h->size;
    const std::size_t n =
        static_cast<std::size_t>(std::min<std::uint64_t>(h->payload_length, input.size() - at));
    std::string payload(input.substr(at, n));
    if (h->masked) hf::net::http::ws::unmask(payload.data(), payload.size(), h->mask, 0);
    (void)hf::net::http::ws::is_valid_utf8(payload);
    at += n;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 0xFF) {
    parse_frames(input);
    return 0;
  }
  // Pieces of 1..255 bytes, or everything at once for 0.
  const std::size_t piece = data[0] == 0 ? input.size() + 1 : data[0];
  parse_stream(input, piece);
  return 0;
}
