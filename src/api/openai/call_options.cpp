#include "api/openai/call_options.hpp"

#include <charconv>
#include <chrono>
#include <cmath>
#include <string>

#include "api/openai/api_error.hpp"

namespace hf::api {
namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The whole value must be the number: "1.5s" or "2 3" is an error, not 1.5 or 2.
template <class T>
std::optional<T> whole_number(std::string_view text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

call_options call_options_from(std::optional<std::string_view> timeout_header,
                               std::optional<std::string_view> priority_header,
                               rt::duration server_timeout, rt::time_point started) {
  call_options call;
  rt::duration timeout = server_timeout;
  if (timeout_header) {
    const std::string_view text = trimmed(*timeout_header);
    const auto seconds = whole_number<double>(text);
    if (!seconds || !std::isfinite(*seconds) || *seconds <= 0) {
      throw api_error::bad_request(
          "X-Request-Timeout must be a positive number of seconds, got '" + std::string(text) + "'",
          "X-Request-Timeout");
    }
    // Compared in seconds first: a huge header value must not overflow the duration cast.
    const double cap = std::chrono::duration<double>(server_timeout).count();
    if (*seconds < cap) {
      timeout = std::chrono::duration_cast<rt::duration>(std::chrono::duration<double>(*seconds));
    }
  }
  // A server timeout too large to add (e.g. years) means no deadline rather than an overflow.
  call.deadline = timeout < rt::time_point::max() - started ? started + timeout : rt::no_deadline;
  if (priority_header) {
    const std::string_view text = trimmed(*priority_header);
    const auto priority = whole_number<int>(text);
    if (!priority) {
      throw api_error::bad_request("X-Priority must be an integer, got '" + std::string(text) + "'",
                                   "X-Priority");
    }
    call.priority = *priority;
  }
  return call;
}

}  // namespace hf::api
