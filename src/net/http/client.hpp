// A small HTTP/1.1 client on the runtime's TCP, for hfserve's own tools (`hfserve bench`): one
// keep-alive connection, one request at a time, the response parsed by Beast (chunked bodies
// decoded) and its body handed over as it arrives, so a caller can time server-sent events.
//   auto c = co_await client_connection::connect("127.0.0.1", 8000);
//   client_response r = co_await c.request("POST", "/v1/completions", headers, body,
//                                          [&](std::string_view more) { ... });
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/net/tcp.hpp"
#include "runtime/task.hpp"

namespace hf::net::http {

struct client_response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool keep_alive = true;
  std::optional<std::string> header(std::string_view name) const;
};

class client_connection {
 public:
  static rt::task<client_connection> connect(std::string host, std::uint16_t port);
  client_connection(client_connection&&) noexcept = default;
  client_connection& operator=(client_connection&&) noexcept = default;
  ~client_connection();

  // Sends one request (Host and Content-Length are added) and reads its whole response. method
  // and target must outlive the call (literals, as the callers pass).
  // on_body, when given, sees each new piece of the decoded body as it arrives. Throws the
  // runtime's stream errors when the connection breaks, std::runtime_error on a bad response.
  rt::task<client_response> request(std::string_view method, std::string_view target,
                                    std::vector<std::pair<std::string, std::string>> headers,
                                    std::string body,
                                    std::function<void(std::string_view)> on_body = {});

 private:
  client_connection() = default;
  std::unique_ptr<rt::tcp_stream> sock_;
  std::string host_;
  std::string buffered_;  // read past the last response (a server may send ahead)
};

}  // namespace hf::net::http
