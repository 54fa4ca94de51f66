// rt::size_limit: "a non-negative whole number or infinity", the type of a memory stream's
// max_buffer_size and a capacity limiter's total_tokens (spec P-67, P-76). It accepts any integer
// or a double (+infinity allowed) and is validated by the consumer, which names the field.
//   rt::create_memory_object_stream<int>(rt::unbounded);   rt::capacity_limiter lim(2);
//   rt::capacity_limiter bad(-1);   // throws rt::argument_error naming total_tokens
#pragma once
#include <cmath>
#include <concepts>
#include <cstddef>
#include <limits>
#include <string>

#include "runtime/errors.hpp"

namespace hf::rt {

// +infinity for counts: an unbounded stream buffer, a limiter with unlimited tokens.
inline constexpr std::size_t unbounded = std::numeric_limits<std::size_t>::max();

class size_limit {
 public:
  template <std::integral I>
  requires(!std::same_as<I, bool>) constexpr size_limit(
      I n) noexcept  // NOLINT(google-explicit-constructor): reads like a number
      : value_(static_cast<std::size_t>(n)), shown_(static_cast<double>(n)) {
    if constexpr (std::is_signed_v<I>) valid_ = n >= 0;
  }
  size_limit(double d) noexcept : shown_(d) {  // NOLINT(google-explicit-constructor)
    if (std::isinf(d) && d > 0) {
      value_ = unbounded;
    } else if (std::isfinite(d) && d >= 0 && std::floor(d) == d &&
               d < static_cast<double>(unbounded)) {
      value_ = static_cast<std::size_t>(d);
    } else {
      valid_ = false;  // NaN, negative, non-integral (P-67, P-76)
    }
  }

  // The count (rt::unbounded for infinity); argument_error naming `what` if it is not valid.
  std::size_t checked(const char* what) const {
    if (!valid_) {
      throw argument_error(std::string(what) + " must be a non-negative integer or infinity, got " +
                           describe_value());
    }
    return value_;
  }

 private:
  std::string describe_value() const {
    if (std::isnan(shown_)) return "NaN";
    std::string s = std::to_string(shown_);
    // Trim "-1.000000" to "-1" and "1.500000" to "1.5".
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  std::size_t value_ = 0;
  double shown_ = 0;
  bool valid_ = true;
};

}  // namespace hf::rt
