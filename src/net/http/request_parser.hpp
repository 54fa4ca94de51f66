// Internal: incremental HTTP/1.x request parsing with Boost.Beast's basic_parser, fed straight
// from the connection's read buffer (no Asio I/O). The head is parsed in place and copied once
// into the request's own storage; body bytes (Content-Length or chunked) are appended to the
// request body. One parser object per connection; start() begins the next message.
//   parser.start(req);
//   auto r = parser.parse_head(buffered, used);   // need_more: read more and call again
//   while (r == head_done) r = parser.parse_body(buffered, used);
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/basic_parser.hpp>

#include "net/http/request.hpp"

namespace hf::net::http {

class request_parser {
 public:
  enum class result {
    need_more,         // nothing is wrong; more bytes are needed
    head_done,         // the head is complete; a body follows
    done,              // the whole message is complete
    header_too_large,  // -> 431
    body_too_large,    // -> 413
    bad_request,       // -> 400 (error_message() says why)
  };

  request_parser(std::size_t max_header_bytes, std::size_t max_body_bytes)
      : max_header_(max_header_bytes), max_body_(max_body_bytes) {}

  // Begins a new message that fills `out` (cleared, its buffers' capacity kept).
  void start(request& out);
  // Parses the head from `bytes`, the unparsed input. Sets `consumed` (0 while need_more).
  result parse_head(std::string_view bytes, std::size_t& consumed);
  // After head_done: feeds body bytes; `consumed` may stop short (the rest is the next message).
  result parse_body(std::string_view bytes, std::size_t& consumed);

  // Valid after the head is complete.
  bool chunked() const { return p_->chunked(); }
  bool upgrade() const { return p_->upgrade(); }
  std::optional<std::uint64_t> content_length() const;
  const std::string& error_message() const noexcept { return error_; }

 private:
  class beast_parser final : public boost::beast::http::basic_parser<true> {
   public:
    beast_parser(request& out, std::size_t max_body);
    const char* base = nullptr;  // start of the buffer the head is being parsed from

   private:
    using error_code = boost::beast::error_code;
    using string_view = boost::beast::string_view;
    void on_request_impl(boost::beast::http::verb, string_view method_str, string_view target,
                         int version, error_code&) override;
    void on_response_impl(int, string_view, int, error_code&) override {}
    void on_field_impl(boost::beast::http::field, string_view name, string_view value,
                       error_code&) override;
    void on_header_impl(error_code&) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& content_length,
                           error_code&) override;
    std::size_t on_body_impl(string_view body, error_code&) override;
    void on_chunk_header_impl(std::uint64_t, string_view, error_code&) override {}
    std::size_t on_chunk_body_impl(std::uint64_t, string_view body, error_code&) override;
    void on_finish_impl(error_code&) override {}

    request& out_;
    std::size_t max_body_;
  };

  result fail(const boost::beast::error_code& ec);

  std::size_t max_header_;
  std::size_t max_body_;
  request* out_ = nullptr;
  std::optional<beast_parser> p_;
  std::string error_;
};

}  // namespace hf::net::http
