#include "observability/access_log.hpp"

#include <atomic>
#include <random>

#include "observability/log.hpp"

namespace hf::obs {
namespace {

// A per-process random base mixed with a counter: unique in the process without a lock, and two
// processes started at the same moment still differ.
std::uint64_t process_seed() {
  static const std::uint64_t seed = [] {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }();
  return seed;
}

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser: a bijection, so ids stay unique
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '-';
}

}  // namespace

std::string new_request_id() {
  static std::atomic<std::uint64_t> counter{0};
  const std::uint64_t v = mix(process_seed() + counter.fetch_add(1, std::memory_order_relaxed));
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string id(16, '0');
  for (int i = 0; i < 16; ++i) id[static_cast<size_t>(i)] = k_hex[(v >> (60 - 4 * i)) & 0xf];
  return id;
}

std::optional<std::string> valid_request_id(std::string_view candidate) {
  if (candidate.empty() || candidate.size() > 128) return std::nullopt;
  for (char c : candidate)
    if (!id_char(c)) return std::nullopt;
  return std::string(candidate);
}

void access_log(std::string_view request_id, std::string_view method, std::string_view path,
                int status, std::uint64_t bytes, std::chrono::nanoseconds duration) {
  if (!logger::enabled(log_level::info)) return;
  const double ms = std::chrono::duration<double, std::milli>(duration).count();
  // Rounded to microseconds: more digits are noise and make the line harder to read.
  const double ms_rounded =
      static_cast<double>(static_cast<std::int64_t>(ms * 1000.0 + 0.5)) / 1000.0;
  detail::write_record(log_level::info, "access", "http request",
                       {{"request_id", request_id},
                        {"method", method},
                        {"path", path},
                        {"status", status},
                        {"bytes", bytes},
                        {"duration_ms", ms_rounded}});
}

}  // namespace hf::obs
