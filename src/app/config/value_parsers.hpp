// Parsers for configuration values given as text (flags, environment, TOML scalars). Each throws
// invalid_value whose message says what is wrong with the text ("'abc' is not a port"); the loader
// prefixes it with the source (flag, variable or file:line).
// Usage: std::uint64_t b = parse_byte_size("8GiB"); auto t = parse_duration("1.5s");
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hf::app {

class invalid_value : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "8GiB", "500MB", "1.5G", "1024", "64 KiB". Decimal units B/KB/MB/GB/TB (also K/M/G/T) and binary
// units KiB/MiB/GiB/TiB (also Ki/Mi/Gi/Ti), case-insensitive; fractions are rounded down.
std::uint64_t parse_byte_size(std::string_view text);
// Shortest exact spelling: 16777216 -> "16MiB", 500000000 -> "500MB", 1000 -> "1KB", 7 -> "7B".
std::string format_byte_size(std::uint64_t bytes);

// A non-negative number of seconds ("600", "1.5") or a number with a unit ms, s, m, h ("500ms").
std::chrono::milliseconds parse_duration(std::string_view text);
std::string format_duration(std::chrono::milliseconds d);  // "600s", "1.5s", "250ms"

bool parse_bool(std::string_view text);  // true/false, 1/0, yes/no, on/off (case-insensitive)
std::uint16_t parse_port(std::string_view text);  // 0-65535 (0: any free port)
// A whole number >= min_value.
std::uint64_t parse_count(std::string_view text, std::uint64_t min_value);

// "a, b,,c" -> {"a", "b", "c"}: items trimmed, empty ones dropped.
std::vector<std::string> split_list(std::string_view text, char separator);
// A leading "~/" (or a lone "~") is replaced by `home` when it is not empty.
std::filesystem::path expand_home(std::string_view text, std::string_view home);

}  // namespace hf::app
