#include "app/config/value_parsers.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

namespace hf::app {
namespace {

std::string quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Splits "12.5GiB" into the number "12.5" and the unit "GiB" (spaces between them allowed).
std::pair<std::string_view, std::string_view> split_number(std::string_view s) {
  s = trim(s);
  size_t i = 0;
  while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
  return {s.substr(0, i), trim(s.substr(i))};
}

// The number part as an exact integer when it has no fraction, else as a double.
struct number {
  bool integral = true;
  std::uint64_t whole = 0;
  double real = 0;
};

std::optional<number> parse_number(std::string_view digits) {
  if (digits.empty() || digits.front() == '.' || digits.back() == '.') return std::nullopt;
  number n;
  const char* end = digits.data() + digits.size();
  if (digits.find('.') == std::string_view::npos) {
    const auto r = std::from_chars(digits.data(), end, n.whole);
    if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
    n.real = static_cast<double>(n.whole);
    return n;
  }
  n.integral = false;
  const auto r = std::from_chars(digits.data(), end, n.real, std::chars_format::fixed);
  if (r.ec != std::errc() || r.ptr != end) return std::nullopt;
  return n;
}

// "" and "b" are bytes; k/m/g/t take an optional "b" (powers of 1000) or "i"/"ib" (powers of 1024).
std::optional<std::uint64_t> byte_unit(const std::string& u) {
  if (u.empty() || u == "b") return 1;
  const size_t power = std::string_view("kmgt").find(u[0]) + 1;
  if (power == 0) return std::nullopt;
  const std::string_view rest = std::string_view(u).substr(1);
  std::uint64_t base = 0;
  if (rest.empty() || rest == "b")
    base = 1000;
  else if (rest == "i" || rest == "ib")
    base = 1024;
  else
    return std::nullopt;
  std::uint64_t factor = 1;
  for (size_t k = 0; k < power; ++k) factor *= base;
  return factor;
}

}  // namespace

std::uint64_t parse_byte_size(std::string_view text) {
  const auto fail = [&](const std::string& why) -> invalid_value {
    return invalid_value(quoted(text) + " is not a byte size" + why);
  };
  const auto [digits, unit_text] = split_number(text);
  const auto n = parse_number(digits);
  if (!n) throw fail(" (examples: 8GiB, 500MB, 1048576)");
  const auto factor = byte_unit(lower(unit_text));
  if (!factor)
    throw fail(": unknown unit '" + std::string(unit_text) +
               "' (use B, KB, MB, GB, TB, KiB, MiB, GiB, TiB)");
  std::uint64_t bytes = 0;
  if (n->integral) {
    if (__builtin_mul_overflow(n->whole, *factor, &bytes)) throw fail(": too large");
    return bytes;
  }
  const long double v = static_cast<long double>(n->real) * static_cast<long double>(*factor);
  if (v >= 18446744073709551616.0L) throw fail(": too large");
  return static_cast<std::uint64_t>(std::floor(v));
}

std::string format_byte_size(std::uint64_t bytes) {
  if (bytes == 0) return "0B";
  static constexpr std::array<const char*, 4> k_bin{"KiB", "MiB", "GiB", "TiB"};
  static constexpr std::array<const char*, 4> k_dec{"KB", "MB", "GB", "TB"};
  for (int i = 3; i >= 0; --i) {
    std::uint64_t b = 1, d = 1;
    for (int k = 0; k <= i; ++k) b *= 1024, d *= 1000;
    if (bytes % b == 0) return std::to_string(bytes / b) + k_bin[static_cast<size_t>(i)];
    if (bytes % d == 0) return std::to_string(bytes / d) + k_dec[static_cast<size_t>(i)];
  }
  return std::to_string(bytes) + "B";
}

std::chrono::milliseconds parse_duration(std::string_view text) {
  const auto [digits, unit_text] = split_number(text);
  const auto n = parse_number(digits);
  const std::string u = lower(unit_text);
  double ms_per_unit = 0;
  if (u.empty() || u == "s")
    ms_per_unit = 1000;
  else if (u == "ms")
    ms_per_unit = 1;
  else if (u == "m" || u == "min")
    ms_per_unit = 60'000;
  else if (u == "h")
    ms_per_unit = 3'600'000;
  if (!n || ms_per_unit == 0)
    throw invalid_value(quoted(text) +
                        " is not a duration (seconds, or a number with ms, s, m or h)");
  const double ms = n->real * ms_per_unit;
  if (ms > 1e15) throw invalid_value(quoted(text) + " is not a duration: too long");
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(ms)));
}

std::string format_duration(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  if (ms < 1000) return std::to_string(ms) + "ms";
  std::array<char, 32> buf{};
  const auto r =
      std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<double>(ms) / 1000.0);
  return std::string(buf.data(), r.ptr) + "s";
}

bool parse_bool(std::string_view text) {
  const std::string t = lower(trim(text));
  if (t == "true" || t == "1" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "0" || t == "no" || t == "off") return false;
  throw invalid_value(quoted(text) + " is not a boolean (use true or false)");
}

std::uint16_t parse_port(std::string_view text) {
  const std::string_view t = trim(text);
  unsigned v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size() || v > 65535)
    throw invalid_value(quoted(text) + " is not a port (0-65535)");
  return static_cast<std::uint16_t>(v);
}

std::uint64_t parse_count(std::string_view text, std::uint64_t min_value) {
  const std::string_view t = trim(text);
  std::uint64_t v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || r.ec != std::errc() || r.ptr != t.data() + t.size())
    throw invalid_value(quoted(text) + " is not a whole number");
  if (v < min_value)
    throw invalid_value(quoted(text) + " is too small (at least " + std::to_string(min_value) +
                        ")");
  return v;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
  std::vector<std::string> items;
  while (true) {
    const size_t pos = text.find(separator);
    const std::string_view item = trim(text.substr(0, pos));
    if (!item.empty()) items.emplace_back(item);
    if (pos == std::string_view::npos) break;
    text.remove_prefix(pos + 1);
  }
  return items;
}

std::filesystem::path expand_home(std::string_view text, std::string_view home) {
  if (home.empty()) return std::filesystem::path(text);
  if (text == "~") return std::filesystem::path(home);
  if (text.starts_with("~/"))
    return std::filesystem::path(home) / std::filesystem::path(text.substr(2));
  return std::filesystem::path(text);
}

}  // namespace hf::app
