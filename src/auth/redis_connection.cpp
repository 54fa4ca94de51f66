#include "auth/redis_connection.hpp"

#include <array>
#include <charconv>
#include <cstdlib>

#include <hiredis/hiredis.h>

namespace hf::auth {
namespace {

redis_reply convert(const redisReply& r) {
  redis_reply out;
  switch (r.type) {
    case REDIS_REPLY_INTEGER:
      out.type = redis_reply::kind::integer;
      out.integer = r.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      out.type = r.type == REDIS_REPLY_STRING   ? redis_reply::kind::string
                 : r.type == REDIS_REPLY_STATUS ? redis_reply::kind::status
                                                : redis_reply::kind::error;
      out.text.assign(r.str, r.len);
      break;
    case REDIS_REPLY_ARRAY:
      out.type = redis_reply::kind::array;
      for (std::size_t i = 0; i < r.elements; ++i) out.elements.push_back(convert(*r.element[i]));
      break;
    default:
      out.type = redis_reply::kind::nil;
  }
  return out;
}

struct reply_deleter {
  void operator()(void* r) const { freeReplyObject(r); }
};

}  // namespace

std::optional<redis_address> parse_redis_url(std::string_view url) {
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) return std::nullopt;
  url.remove_prefix(scheme.size());
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  redis_address a;
  const auto colon = url.rfind(':');
  a.host = std::string(url.substr(0, colon));
  if (colon != std::string_view::npos) {
    const std::string_view port = url.substr(colon + 1);
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return std::nullopt;
    }
    a.port = static_cast<std::uint16_t>(value);
  }
  if (a.host.empty() || a.host.find_first_of("/@ ") != std::string::npos) return std::nullopt;
  return a;
}

void redis_connection::reader_deleter::operator()(redisReader* r) const {
  redisReaderFree(r);
}

redis_connection::redis_connection(rt::tcp_stream sock)
    : sock_(std::move(sock)), reader_(redisReaderCreate()) {
  if (!reader_) throw redis_error("cannot create a RESP reader (out of memory)");
}

redis_connection::redis_connection(redis_connection&&) noexcept = default;
redis_connection& redis_connection::operator=(redis_connection&&) noexcept = default;
redis_connection::~redis_connection() = default;

rt::task<redis_connection> redis_connection::connect(redis_address address) {
  rt::tcp_stream sock = co_await rt::tcp_connect(address.host, address.port);
  co_return redis_connection(std::move(sock));
}

rt::task<redis_reply> redis_connection::command(const std::vector<std::string>& argv) {
  std::vector<const char*> args;
  std::vector<std::size_t> lengths;
  for (const auto& a : argv) {
    args.push_back(a.data());
    lengths.push_back(a.size());
  }
  char* formatted = nullptr;
  const int n = redisFormatCommandArgv(&formatted, static_cast<int>(args.size()), args.data(),
                                       lengths.data());
  if (n < 0) throw redis_error("cannot format a Redis command (out of memory)");
  const std::string request(formatted, static_cast<std::size_t>(n));
  redisFreeCommand(formatted);
  co_await sock_.send_all(request);

  std::array<std::byte, 4096> buffer{};
  while (true) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_.get(), &raw) != REDIS_OK) {
      throw redis_error(std::string("bad reply from Redis: ") + reader_->errstr);
    }
    if (raw != nullptr) {
      const std::unique_ptr<void, reply_deleter> reply(raw);
      co_return convert(*static_cast<const redisReply*>(raw));
    }
    const std::size_t got = co_await sock_.receive(buffer);
    if (redisReaderFeed(reader_.get(), reinterpret_cast<const char*>(buffer.data()), got) !=
        REDIS_OK) {
      throw redis_error(std::string("bad reply from Redis: ") + reader_->errstr);
    }
  }
}

}  // namespace hf::auth
