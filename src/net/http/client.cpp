#include "net/http/client.hpp"

#include <array>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <stdexcept>

#include "net/http/headers.hpp"

namespace hf::net::http {
namespace {
namespace bh = boost::beast::http;
constexpr std::size_t k_max_body = std::size_t{1} << 30;
}  // namespace

std::optional<std::string> client_response::header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (iequals(n, name)) return v;
  }
  return std::nullopt;
}

client_connection::~client_connection() = default;

rt::task<client_connection> client_connection::connect(std::string host, std::uint16_t port) {
  client_connection c;
  c.sock_ = std::make_unique<rt::tcp_stream>(co_await rt::tcp_connect(host, port));
  c.host_ = host + ":" + std::to_string(port);
  co_return c;
}

rt::task<client_response> client_connection::request(
    std::string_view method, std::string_view target,
    std::vector<std::pair<std::string, std::string>> headers, std::string body,
    std::function<void(std::string_view)> on_body) {
  std::string head =
      std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: " + host_ + "\r\n";
  for (const auto& [name, value] : headers) {
    head.append(name).append(": ").append(value).append("\r\n");
  }
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  head += body;
  co_await sock_->send_all(head);

  bh::response_parser<bh::string_body> parser;
  parser.body_limit(k_max_body);
  std::size_t seen = 0;  // body bytes already handed to on_body
  std::array<char, 16384> chunk{};
  for (;;) {
    while (!buffered_.empty() && !parser.is_done()) {
      boost::beast::error_code ec;
      const std::size_t used =
          parser.put(boost::asio::const_buffer(buffered_.data(), buffered_.size()), ec);
      buffered_.erase(0, used);
      if (ec == bh::error::need_more) break;
      if (ec) throw std::runtime_error("bad HTTP response: " + ec.message());
      if (used == 0) break;
    }
    const std::string& got = parser.get().body();
    if (on_body && got.size() > seen) {
      on_body(std::string_view(got).substr(seen));
      seen = got.size();
    }
    if (parser.is_done()) break;
    const std::size_t n = co_await sock_->receive(std::as_writable_bytes(std::span(chunk)));
    buffered_.append(chunk.data(), n);
  }
  const auto& m = parser.get();
  client_response r;
  r.status = static_cast<int>(m.result_int());
  for (const auto& f : m)
    r.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  r.body = m.body();
  r.keep_alive = m.keep_alive();
  co_return r;
}

}  // namespace hf::net::http
