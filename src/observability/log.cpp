#include "observability/log.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <ctime>
#include <iostream>
#include <mutex>

#include "observability/text_escape.hpp"

namespace hf::obs {
namespace detail {
std::atomic<int> g_min_level{static_cast<int>(log_level::info)};
}  // namespace detail

namespace {

std::atomic<int> g_format{static_cast<int>(log_format::text)};
std::mutex g_write_mutex;  // guards g_out and every write to it
std::ostream* g_out = nullptr;

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string_view level_label(log_level level) {  // fixed width keeps text columns aligned
  switch (level) {
    case log_level::trace:
      return "TRACE";
    case log_level::debug:
      return "DEBUG";
    case log_level::info:
      return "INFO ";
    case log_level::warn:
      return "WARN ";
    case log_level::error:
      return "ERROR";
    case log_level::off:
      break;
  }
  return "OFF  ";
}

void append_double(std::string& out, double v, bool json) {
  if (!std::isfinite(v)) {
    out += json ? "null" : (std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"));
    return;
  }
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), r.ptr);
}

template <class Int>
void append_int(std::string& out, Int v) {
  std::array<char, 24> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), r.ptr);
}

void append_value(std::string& out, const log_value& value, bool json) {
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::string_view>) {
          if (json || needs_quotes(v)) {
            out += '"';
            append_escaped(out, v, escape_quotes::yes);
            out += '"';
          } else {
            out += v;
          }
        } else if constexpr (std::is_same_v<T, bool>) {
          out += v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          append_double(out, v, json);
        } else {
          append_int(out, v);
        }
      },
      value.get());
}

bool reserved_json_key(std::string_view k) {
  return k == "ts" || k == "level" || k == "logger" || k == "msg";
}

void append_json_key(std::string& out, std::string_view key) {
  out += '"';
  append_escaped(out, key, escape_quotes::yes);
  out += "\":";
}

}  // namespace

std::optional<log_level> parse_log_level(std::string_view name) {
  const std::string n = lower(name);
  if (n == "trace") return log_level::trace;
  if (n == "debug") return log_level::debug;
  if (n == "info") return log_level::info;
  if (n == "warn" || n == "warning") return log_level::warn;
  if (n == "error" || n == "critical") return log_level::error;
  if (n == "off") return log_level::off;
  return std::nullopt;
}

std::string_view log_level_name(log_level level) {
  switch (level) {
    case log_level::trace:
      return "trace";
    case log_level::debug:
      return "debug";
    case log_level::info:
      return "info";
    case log_level::warn:
      return "warn";
    case log_level::error:
      return "error";
    case log_level::off:
      break;
  }
  return "off";
}

std::optional<log_format> parse_log_format(std::string_view name) {
  const std::string n = lower(name);
  if (n == "text") return log_format::text;
  if (n == "json") return log_format::json;
  return std::nullopt;
}

std::string_view log_format_name(log_format format) {
  return format == log_format::json ? "json" : "text";
}

std::string format_timestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms_total = floor<milliseconds>(t).time_since_epoch().count();
  auto secs = static_cast<std::time_t>(ms_total / 1000);
  auto ms = static_cast<int>(ms_total % 1000);
  if (ms < 0) {  // times before 1970 round toward the earlier second
    ms += 1000;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 40> buf{};
  const size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf.data(), n);
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
  return out;
}

std::string format_record(const log_record& r, log_format format) {
  std::string out;
  out.reserve(96 + r.message.size());
  if (format == log_format::text) {
    out += format_timestamp(r.time);
    out += ' ';
    out += level_label(r.level);
    out += ' ';
    append_escaped(out, r.logger, escape_quotes::no);
    out += ": ";
    append_escaped(out, r.message, escape_quotes::no);
    for (const auto& f : r.fields) {
      out += ' ';
      append_escaped(out, f.key, escape_quotes::no);
      out += '=';
      append_value(out, f.value, /*json=*/false);
    }
    return out;
  }
  out += "{\"ts\":\"";
  out += format_timestamp(r.time);
  out += "\",\"level\":\"";
  out += log_level_name(r.level);
  out += "\",\"logger\":\"";
  append_escaped(out, r.logger, escape_quotes::yes);
  out += "\",\"msg\":\"";
  append_escaped(out, r.message, escape_quotes::yes);
  out += '"';
  for (const auto& f : r.fields) {
    out += ',';
    append_json_key(out, reserved_json_key(f.key) ? "_" + std::string(f.key) : std::string(f.key));
    append_value(out, f.value, /*json=*/true);
  }
  out += '}';
  return out;
}

void configure_logging(const log_config& config) {
  std::lock_guard lock(g_write_mutex);
  g_out = config.out;
  g_format.store(static_cast<int>(config.format), std::memory_order_relaxed);
  detail::g_min_level.store(static_cast<int>(config.level), std::memory_order_relaxed);
}

log_config logging_config() {
  std::lock_guard lock(g_write_mutex);
  return {static_cast<log_level>(detail::g_min_level.load(std::memory_order_relaxed)),
          static_cast<log_format>(g_format.load(std::memory_order_relaxed)), g_out};
}

namespace detail {
void write_record(log_level level, std::string_view logger, std::string_view message,
                  log_fields fields) {
  const log_record record{std::chrono::system_clock::now(), level, logger, message, fields};
  std::string line =
      format_record(record, static_cast<log_format>(g_format.load(std::memory_order_relaxed)));
  line += '\n';
  std::lock_guard lock(g_write_mutex);
  std::ostream& out = g_out ? *g_out : std::cerr;
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  out.flush();
}
}  // namespace detail

}  // namespace hf::obs
