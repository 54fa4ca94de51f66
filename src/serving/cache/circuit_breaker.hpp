// One model's circuit breaker: after `failures` failures (load failures, engine errors) within
// `window` it opens, and requests for the model are refused at once (503 with Retry-After = the
// cooldown left) instead of each paying for another failing load; after `cooldown` it is half
// open and lets `probes` requests through; the next outcome decides: a success closes it, a
// failure opens it again for another cooldown. Loop thread only; the time is passed in so that
// tests drive it with a virtual clock.
//   circuit_breaker b({.failures = 5, .window = 60s, .cooldown = 30s, .probes = 1});
//   auto a = b.admit(now);  if (!a.allowed) -> 503, Retry-After: a.retry_after
//   ... b.on_failure(now, "weights unreadable") / b.on_success(); if (a.probe) b.end_probe();
#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>

#include "runtime/clock.hpp"

namespace hf::serving {

struct breaker_options {
  std::size_t failures = 5;  // failures in `window` that open the circuit; 0: never opens
  rt::duration window = std::chrono::seconds(60);
  rt::duration cooldown = std::chrono::seconds(30);  // open, then half open
  std::size_t probes = 1;                            // requests let through while half open
};

enum class breaker_state { closed, open, half_open };
std::string_view breaker_state_name(breaker_state s);  // "closed" | "open" | "half_open"

struct breaker_report {
  breaker_state state = breaker_state::closed;
  std::size_t recent_failures = 0;  // within the window (closed), or that opened it
  std::uint64_t failures = 0;       // since start
  std::uint64_t opened = 0;         // times it opened (from closed or half open)
  std::uint64_t closed_again = 0;   // times a half-open probe's success closed it
  std::uint64_t rejected = 0;       // requests refused while open or half open
  rt::duration retry_after{0};      // open: cooldown left
  std::string last_error;
};

class circuit_breaker {
 public:
  explicit circuit_breaker(breaker_options options) : options_(options) {}

  struct admission {
    bool allowed = true;
    bool probe = false;           // a half-open probe: call end_probe() when its request ends
    rt::duration retry_after{0};  // refused: when to try again
  };
  admission admit(rt::time_point now);
  // A probe's request ended (with or without an outcome): its slot is free again.
  void end_probe();

  void on_failure(rt::time_point now, std::string_view error);
  void on_success();

  // The state as a request arriving at `now` would see it (open turns half open at the cooldown).
  breaker_report report(rt::time_point now) const;

 private:
  void open(rt::time_point now);
  void forget_old(rt::time_point now);

  breaker_options options_;
  breaker_state state_ = breaker_state::closed;
  std::deque<rt::time_point> recent_;  // failure times within the window
  rt::time_point opened_at_{};
  std::size_t probes_out_ = 0;
  breaker_report totals_;
};

}  // namespace hf::serving
