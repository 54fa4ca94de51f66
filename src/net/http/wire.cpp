#include "net/http/wire.hpp"

#include <charconv>
#include <cstdio>
#include <stdexcept>

#include "net/http/headers.hpp"

namespace hf::net::http::wire {

void status_line(std::string& out, int version, status s, std::string_view reason) {
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  char num[8];
  auto [end, ec] = std::to_chars(num, num + sizeof num, code(s));
  (void)ec;
  out.append(num, end);
  out.push_back(' ');
  out.append(reason.empty() ? reason_phrase(s) : reason);
  out.append("\r\n");
}

void field(std::string& out, std::string_view name, std::string_view value) {
  if (name.find_first_of("\r\n:") != std::string_view::npos ||
      value.find_first_of("\r\n") != std::string_view::npos) {
    throw std::invalid_argument("http response header '" + std::string(name) +
                                "': names and values may not contain CR, LF (or ':' in names)");
  }
  out.append(name).append(": ").append(value).append("\r\n");
}

void content_length(std::string& out, std::size_t n) {
  char num[24];
  auto [end, ec] = std::to_chars(num, num + sizeof num, n);
  (void)ec;
  out.append("Content-Length: ").append(num, end).append("\r\n");
}

void chunk_header(std::string& out, std::size_t n) {
  char num[24];
  auto [end, ec] = std::to_chars(num, num + sizeof num, n, 16);
  (void)ec;
  out.append(num, end).append("\r\n");
}

bool is_framing_field(std::string_view name) noexcept {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
         iequals(name, "connection");
}

std::string_view date_cache::now() {
  std::time_t t = std::time(nullptr);
  if (t != last_) {
    // Formatted by hand: strftime's %a and %b follow the C locale, which a host may have changed.
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    int n = std::snprintf(text_, sizeof text_, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                          days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
                          tm.tm_hour, tm.tm_min, tm.tm_sec);
    len_ = n > 0 ? static_cast<std::size_t>(n) : 0;
    last_ = t;
  }
  return {text_, len_};
}

}  // namespace hf::net::http::wire
