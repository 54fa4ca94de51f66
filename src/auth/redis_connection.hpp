// One connection to a Redis server on the runtime's TCP: commands go out in RESP (formatted by
// hiredis) and replies are parsed by hiredis's reader, so a call is an ordinary awaitable that
// cancellation and deadlines reach (no thread, no blocking socket). One call at a time per
// connection (callers serialise, e.g. with an rt::lock); after an exception other than an error
// reply the connection is unusable and must be dropped.
//   redis_connection c = co_await redis_connection::connect({"127.0.0.1", 6379});
//   redis_reply r = co_await c.command({"INCR", "hits"});   // r.integer
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/net/tcp.hpp"
#include "runtime/task.hpp"

struct redisReader;

namespace hf::auth {

struct redis_address {
  std::string host;
  std::uint16_t port = 6379;
};
// "redis://HOST:PORT" or "redis://HOST" (port 6379); nullopt for anything else.
std::optional<redis_address> parse_redis_url(std::string_view url);

// A broken connection or a reply that is not RESP.
class redis_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct redis_reply {
  enum class kind { nil, integer, string, status, error, array };
  kind type = kind::nil;
  std::int64_t integer = 0;
  std::string text;  // string, status and error replies
  std::vector<redis_reply> elements;
};

class redis_connection {
 public:
  // system_error when the connection is refused.
  static rt::task<redis_connection> connect(redis_address address);
  redis_connection(redis_connection&&) noexcept;
  redis_connection& operator=(redis_connection&&) noexcept;
  ~redis_connection();

  // The reply to one command; an error reply is returned (type error), not thrown.
  rt::task<redis_reply> command(const std::vector<std::string>& argv);

 private:
  struct reader_deleter {
    void operator()(redisReader* r) const;
  };
  explicit redis_connection(rt::tcp_stream sock);

  rt::tcp_stream sock_;
  std::unique_ptr<redisReader, reader_deleter> reader_;
};

}  // namespace hf::auth
