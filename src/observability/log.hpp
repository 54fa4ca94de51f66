// Structured logging: one line per record (text or JSON) with an ISO-8601 UTC timestamp, a level,
// the logger's name, a message and key=value fields. One global configuration (level, format,
// stream) is shared by every logger; records below the level cost one atomic load and nothing else.
// Usage: auto log = hf::obs::get_logger("serving"); log.info("model loaded", {{"model", id}, {"ms",
// 123}});
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

namespace hf::obs {

enum class log_level : int { trace = 0, debug = 1, info = 2, warn = 3, error = 4, off = 5 };
enum class log_format { text, json };

// Accepts trace, debug, info, warn/warning, error/critical, off (case-insensitive).
std::optional<log_level> parse_log_level(std::string_view name);
std::string_view log_level_name(log_level level);                   // "trace" .. "error", "off"
std::optional<log_format> parse_log_format(std::string_view name);  // "text" | "json"
std::string_view log_format_name(log_format format);

// The value of one field. Strings are held as views: a record never outlives the call that
// makes it, so temporaries in the field list stay alive long enough and nothing is copied.
class log_value {
 public:
  using storage = std::variant<std::string_view, std::int64_t, std::uint64_t, double, bool>;

  log_value(std::string_view s) : v_(s) {}  // NOLINT(google-explicit-constructor)
  log_value(const std::string& s) : v_(std::string_view(s)) {}          // NOLINT
  log_value(const char* s) : v_(std::string_view(s ? s : "(null)")) {}  // NOLINT
  log_value(bool b) : v_(b) {}                                          // NOLINT
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_signed_v<T>) log_value(T v)
      : v_(static_cast<std::int64_t>(v)) {}  // NOLINT
  template <class T>
  requires(std::is_integral_v<T> && !std::is_same_v<T, bool> && std::is_unsigned_v<T>)
      log_value(T v)
      : v_(static_cast<std::uint64_t>(v)) {}  // NOLINT
  template <class T>
  requires std::is_floating_point_v<T> log_value(T v) : v_(static_cast<double>(v)) {}  // NOLINT

  const storage& get() const { return v_; }

 private:
  storage v_;
};

struct log_field {
  std::string_view key;
  log_value value;
};
using log_fields = std::initializer_list<log_field>;

struct log_record {
  std::chrono::system_clock::time_point time;
  log_level level = log_level::info;
  std::string_view logger;
  std::string_view message;
  log_fields fields;
};

// One line, without the trailing newline. Text: `TS LEVEL logger: message k=v k2="a b"` (strings
// with spaces, quotes, '=' or control characters are quoted and escaped). JSON: an object with
// "ts", "level", "logger", "msg", then the fields in order (a field named like one of those four
// is written as "_<key>"). Invalid UTF-8 becomes U+FFFD so the JSON line always parses.
std::string format_record(const log_record& record, log_format format);
// "2024-05-01T12:34:56.789Z"
std::string format_timestamp(std::chrono::system_clock::time_point t);

struct log_config {
  log_level level = log_level::info;
  log_format format = log_format::text;
  std::ostream* out = nullptr;  // nullptr: std::cerr. The caller keeps the stream alive.
};

// Replaces the global configuration (normally once, at startup; tests call it again).
// Thread-safe with respect to concurrent logging.
void configure_logging(const log_config& config);
log_config logging_config();

namespace detail {
extern std::atomic<int> g_min_level;
void write_record(log_level level, std::string_view logger, std::string_view message,
                  log_fields fields);
}  // namespace detail

// A named handle onto the global configuration; cheap to copy and to keep as a member.
class logger {
 public:
  explicit logger(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  static bool enabled(log_level level) {
    return static_cast<int>(level) >= detail::g_min_level.load(std::memory_order_relaxed);
  }
  void log(log_level level, std::string_view message, log_fields fields = {}) const {
    if (enabled(level)) detail::write_record(level, name_, message, fields);
  }
  void trace(std::string_view m, log_fields f = {}) const { log(log_level::trace, m, f); }
  void debug(std::string_view m, log_fields f = {}) const { log(log_level::debug, m, f); }
  void info(std::string_view m, log_fields f = {}) const { log(log_level::info, m, f); }
  void warn(std::string_view m, log_fields f = {}) const { log(log_level::warn, m, f); }
  void error(std::string_view m, log_fields f = {}) const { log(log_level::error, m, f); }

 private:
  std::string name_;
};

inline logger get_logger(std::string_view name) {
  return logger(std::string(name));
}

}  // namespace hf::obs
