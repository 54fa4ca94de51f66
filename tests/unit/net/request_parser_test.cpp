// Request parsing on its own (no sockets): heads fed whole or byte by byte, pipelined input,
// chunked bodies, the head and body limits, malformed input, and the request accessors.
#include "net/http/request_parser.hpp"

#include <gtest/gtest.h>

#include <string>

#include "net/http/request.hpp"

namespace hf::net::http {
namespace {

using result = request_parser::result;

// Parses one whole message from `input`; returns the result and how many bytes it used.
std::pair<result, std::size_t> parse_all(request_parser& p, request& req, std::string_view input) {
  p.start(req);
  std::size_t used = 0;
  result r = p.parse_head(input, used);
  std::size_t total = used;
  if (r == result::head_done) {
    r = p.parse_body(input.substr(total), used);
    total += used;
  }
  return {r, total};
}

TEST(request_parser, parses_request_line_headers_and_query) {
  request_parser p(16 << 10, 1 << 20);
  request req;
  std::string in =
      "GET /v1/models?limit=2&name=a%20b+c HTTP/1.1\r\nHost: x\r\nX-Custom:  spaced value \r\n"
      "Accept: */*\r\n\r\n";
  auto [r, used] = parse_all(p, req, in);
  EXPECT_EQ(r, result::done);
  EXPECT_EQ(used, in.size());
  EXPECT_EQ(req.method(), method::get);
  EXPECT_EQ(req.method_name(), "GET");
  EXPECT_EQ(req.target(), "/v1/models?limit=2&name=a%20b+c");
  EXPECT_EQ(req.path(), "/v1/models");
  EXPECT_EQ(req.query(), "limit=2&name=a%20b+c");
  EXPECT_EQ(req.query_param("limit"), "2");
  EXPECT_EQ(req.query_param("name"), "a b c");
  EXPECT_FALSE(req.query_param("missing").has_value());
  EXPECT_EQ(req.query_params().size(), 2u);
  EXPECT_EQ(req.version(), 11);
  EXPECT_EQ(req.header("x-custom"), "spaced value");
  EXPECT_EQ(req.header("HOST"), "x");
  EXPECT_FALSE(req.header("content-type").has_value());
  EXPECT_EQ(req.header_count(), 3u);
  EXPECT_EQ(req.header_at(1).first, "X-Custom");
  EXPECT_TRUE(req.keep_alive());
  EXPECT_TRUE(req.body().empty());
}

TEST(request_parser, head_arriving_byte_by_byte_is_parsed_once_complete) {
  request_parser p(16 << 10, 1 << 20);
  request req;
  std::string in = "POST /echo HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
  p.start(req);
  std::size_t used = 0;
  std::size_t n = 1;
  result r = result::need_more;
  for (; n <= in.size(); ++n) {
    r = p.parse_head(std::string_view(in).substr(0, n), used);
    if (r != result::need_more) break;
    EXPECT_EQ(used, 0u);
  }
  ASSERT_EQ(r, result::head_done);
  EXPECT_EQ(used, in.size() - 5);
  EXPECT_EQ(p.content_length(), 5u);
  std::size_t body_used = 0;
  EXPECT_EQ(p.parse_body("hel", body_used), result::need_more);
  EXPECT_EQ(body_used, 3u);
  EXPECT_EQ(p.parse_body("lo", body_used), result::done);
  EXPECT_EQ(req.body(), "hello");
}

TEST(request_parser, pipelined_input_stops_at_the_end_of_each_message) {
  request_parser p(16 << 10, 1 << 20);
  request req;
  std::string first = "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc";
  std::string second = "GET /b HTTP/1.1\r\n\r\n";
  std::string in = first + second;
  auto [r, used] = parse_all(p, req, in);
  EXPECT_EQ(r, result::done);
  EXPECT_EQ(used, first.size());
  EXPECT_EQ(req.body(), "abc");
  auto [r2, used2] = parse_all(p, req, std::string_view(in).substr(used));
  EXPECT_EQ(r2, result::done);
  EXPECT_EQ(used2, second.size());
  EXPECT_EQ(req.path(), "/b");
  EXPECT_TRUE(req.body().empty());  // reset between messages
}

TEST(request_parser, chunked_body_is_decoded) {
  request_parser p(16 << 10, 1 << 20);
  request req;
  std::string in =
      "POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
  auto [r, used] = parse_all(p, req, in);
  EXPECT_EQ(r, result::done);
  EXPECT_EQ(used, in.size());
  EXPECT_TRUE(p.chunked());
  EXPECT_EQ(req.body(), "hello, world");
}

TEST(request_parser, chunked_trailer_fields_are_discarded_not_added_to_the_head) {
  // The trailer arrives in its own read, after the head was parsed from an earlier buffer.
  request_parser p(16 << 10, 1 << 20);
  request req;
  p.start(req);
  const std::string head = "POST /t HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::size_t used = 0;
  ASSERT_EQ(p.parse_head(head, used), result::head_done);
  const std::string body = "3\r\nabc\r\n0\r\nX-Checksum: 1234\r\nX-Other: 5\r\n\r\n";
  ASSERT_EQ(p.parse_body(body, used), result::done);
  EXPECT_EQ(used, body.size());
  EXPECT_EQ(req.body(), "abc");
  EXPECT_EQ(req.header_count(), 2u);
  EXPECT_EQ(req.header("host"), "h");
  EXPECT_FALSE(req.header("x-checksum").has_value());
}

TEST(request_parser, head_over_the_limit_is_header_too_large) {
  request_parser p(256, 1 << 20);
  request req;
  std::string in = "GET / HTTP/1.1\r\nX-Big: " + std::string(400, 'a') + "\r\n\r\n";
  auto [r, used] = parse_all(p, req, in);
  EXPECT_EQ(r, result::header_too_large);
  // An incomplete head that already passed the limit fails as well.
  p.start(req);
  std::size_t n = 0;
  EXPECT_EQ(p.parse_head(std::string_view(in).substr(0, 300), n), result::header_too_large);
}

TEST(request_parser, announced_body_over_the_limit_fails_at_the_head) {
  request_parser p(16 << 10, 10);
  request req;
  p.start(req);
  std::size_t used = 0;
  EXPECT_EQ(p.parse_head("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", used),
            result::body_too_large);
  EXPECT_EQ(parse_all(p, req, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789").first,
            result::done);
}

TEST(request_parser, chunked_body_over_the_limit_fails_while_reading) {
  request_parser p(16 << 10, 10);
  request req;
  std::string in =
      "POST / HTTP/1.1\r\nTransfer-Encoding: "
      "chunked\r\n\r\n6\r\nabcdef\r\n6\r\nghijkl\r\n0\r\n\r\n";
  EXPECT_EQ(parse_all(p, req, in).first, result::body_too_large);
}

TEST(request_parser, malformed_input_is_a_bad_request_with_a_reason) {
  request_parser p(16 << 10, 1 << 20);
  request req;
  for (std::string in : {"GET / HTTP/9.9\r\n\r\n", "GET / HTTP/1.1\r\nBad Header\r\n\r\n",
                         "POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
                         "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}) {
    auto [r, used] = parse_all(p, req, in);
    EXPECT_EQ(r, result::bad_request) << in;
    EXPECT_FALSE(p.error_message().empty()) << in;
  }
}

TEST(request_parser, keep_alive_follows_version_and_connection_header) {
  request_parser p(16 << 10, 1 << 20);
  request req;
  parse_all(p, req, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_FALSE(req.keep_alive());
  parse_all(p, req, "GET / HTTP/1.0\r\n\r\n");
  EXPECT_FALSE(req.keep_alive());
  EXPECT_EQ(req.version(), 10);
  parse_all(p, req, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_TRUE(req.keep_alive());
}

TEST(request, make_builds_what_the_parser_would) {
  request r =
      request::make("PATCH", "/x/y?q=1", {{"Content-Type", "text/plain"}, {"X-A", "b"}}, "body");
  EXPECT_EQ(r.method(), method::patch);
  EXPECT_EQ(r.path(), "/x/y");
  EXPECT_EQ(r.query_param("q"), "1");
  EXPECT_EQ(r.header("content-type"), "text/plain");
  EXPECT_EQ(r.header("x-a"), "b");
  EXPECT_EQ(r.body(), "body");
  EXPECT_TRUE(r.keep_alive());
  EXPECT_EQ(request::make("BREW", "/").method(), method::other);
}

}  // namespace
}  // namespace hf::net::http
