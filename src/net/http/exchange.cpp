#include "net/http/exchange.hpp"

#include <charconv>
#include <utility>

#include "net/http/connection.hpp"

namespace hf::net::http {
namespace {
// A client id is only echoed and logged if it cannot forge log lines or headers.
bool is_sane_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (c <= 0x20 || c >= 0x7F) return false;
  }
  return true;
}
}  // namespace

exchange::exchange(detail::connection& conn, http::request& req, std::uint64_t sequence,
                   std::string_view param_value)
    : conn_(conn), req_(req), sequence_(sequence), param_(param_value) {
  if (auto id = req.header("x-request-id"); id && is_sane_request_id(*id)) {
    request_id_ = *id;
    client_request_id_ = true;
  } else {
    auto [end, ec] = std::to_chars(id_text_, id_text_ + sizeof id_text_, sequence);
    (void)ec;
    request_id_ = std::string_view(id_text_, static_cast<std::size_t>(end - id_text_));
  }
}

rt::task<void> exchange::respond(response r) {
  co_await conn_.write_response(*this, r);
}

rt::task<void> exchange::start_stream(http::status s, header_list headers) {
  co_await conn_.write_stream_head(*this, s, headers);
}

rt::task<void> exchange::write_chunk(std::string_view data) {
  return conn_.write_chunk(*this, data);
}

rt::task<void> exchange::end_stream() {
  return conn_.write_end(*this);
}

rt::task<void> exchange::send_event(std::string_view data, std::string_view event_name) {
  return conn_.write_event(*this, data, event_name, /*comment=*/false);
}

rt::task<void> exchange::send_comment(std::string_view text) {
  return conn_.write_event(*this, text, {}, /*comment=*/true);
}

}  // namespace hf::net::http
