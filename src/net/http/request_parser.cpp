#include "net/http/request_parser.hpp"

#include <algorithm>
#include <boost/beast/http/error.hpp>

#include "net/http/request_access.hpp"

namespace hf::net::http {

namespace bhttp = boost::beast::http;
using access = detail::request_access;

request_parser::beast_parser::beast_parser(request& out, std::size_t max_body)
    : out_(out), max_body_(max_body) {}

void request_parser::beast_parser::on_request_impl(bhttp::verb, string_view method_str,
                                                   string_view target, int version, error_code&) {
  access::start(out_, http::parse_method(std::string_view(method_str.data(), method_str.size())),
                static_cast<std::size_t>(method_str.data() - base), method_str.size(),
                static_cast<std::size_t>(target.data() - base), target.size(), version);
}

void request_parser::beast_parser::on_field_impl(bhttp::field, string_view name, string_view value,
                                                 error_code&) {
  // A chunked body's trailer fields arrive in a later buffer than the head, so their offsets
  // would point outside the request's copy of the head. Handlers never read trailers, and
  // RFC 9110 section 6.5.1 lets a recipient discard them: drop them (found by fuzzing).
  if (is_header_done()) return;
  access::add_field(out_, static_cast<std::size_t>(name.data() - base), name.size(),
                    static_cast<std::size_t>(value.data() - base), value.size());
}

void request_parser::beast_parser::on_body_init_impl(const boost::optional<std::uint64_t>& length,
                                                     error_code&) {
  // Reserve what was announced (the limit was checked already), not more: a chunked body grows.
  if (length)
    access::body(out_).reserve(
        static_cast<std::size_t>(std::min<std::uint64_t>(*length, max_body_)));
}

std::size_t request_parser::beast_parser::on_body_impl(string_view body, error_code&) {
  access::body(out_).append(body.data(), body.size());
  return body.size();
}

std::size_t request_parser::beast_parser::on_chunk_body_impl(std::uint64_t, string_view body,
                                                             error_code&) {
  access::body(out_).append(body.data(), body.size());
  return body.size();
}

void request_parser::start(request& out) {
  out_ = &out;
  access::reset(out);
  error_.clear();
  p_.emplace(out, max_body_);
  // Beast counts the limit against the bytes it looks at; at least a request line must fit.
  p_->header_limit(static_cast<std::uint32_t>(std::max<std::size_t>(max_header_, 64)));
  p_->body_limit(static_cast<std::uint64_t>(max_body_));
}

request_parser::result request_parser::fail(const boost::beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return result::header_too_large;
  if (ec == bhttp::error::body_limit) return result::body_too_large;
  error_ = ec.message();
  return result::bad_request;
}

request_parser::result request_parser::parse_head(std::string_view bytes, std::size_t& consumed) {
  boost::beast::error_code ec;
  p_->base = bytes.data();
  consumed = p_->put(boost::asio::const_buffer(bytes.data(), bytes.size()), ec);
  if (ec == bhttp::error::need_more && !p_->is_header_done()) {
    consumed = 0;
    return result::need_more;
  }
  if (ec && ec != bhttp::error::need_more) return fail(ec);
  // The head is complete: copy it into the request's storage (offsets were taken against bytes).
  access::raw(*out_).assign(bytes.data(), consumed);
  access::finish(*out_, p_->keep_alive());
  if (p_->is_done()) return result::done;
  p_->eager(true);
  return result::head_done;
}

request_parser::result request_parser::parse_body(std::string_view bytes, std::size_t& consumed) {
  boost::beast::error_code ec;
  consumed = bytes.empty() ? 0 : p_->put(boost::asio::const_buffer(bytes.data(), bytes.size()), ec);
  if (ec && ec != bhttp::error::need_more) return fail(ec);
  return p_->is_done() ? result::done : result::need_more;
}

std::optional<std::uint64_t> request_parser::content_length() const {
  auto n = p_->content_length();
  return n ? std::optional<std::uint64_t>(*n) : std::nullopt;
}

}  // namespace hf::net::http
