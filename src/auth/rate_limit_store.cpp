#include "auth/rate_limit_store.hpp"

#include "runtime/sleep.hpp"

namespace hf::auth {

rt::task<admission> memory_rate_store::admit(const std::string& key, const key_limits& limits) {
  co_return limiter_.admit(key, limits, rt::current_time());
}

void memory_rate_store::charge(const std::string& key, const key_limits& limits,
                               std::int64_t tokens) {
  limiter_.charge_tokens(key, limits, tokens, rt::current_time());
}

rt::task<void> memory_rate_store::run() {
  co_await rt::sleep_forever();
}

}  // namespace hf::auth
