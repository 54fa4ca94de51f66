#include "serving/cache/circuit_breaker.hpp"

namespace hf::serving {

// Half open with every probe slot taken: the probe's outcome is due soon, so ask for a retry in
// about a second rather than a whole cooldown.
constexpr rt::duration k_probe_busy_retry = std::chrono::seconds(1);

std::string_view breaker_state_name(breaker_state s) {
  switch (s) {
    case breaker_state::closed:
      return "closed";
    case breaker_state::open:
      return "open";
    case breaker_state::half_open:
      return "half_open";
  }
  return "closed";
}

circuit_breaker::admission circuit_breaker::admit(rt::time_point now) {
  if (state_ == breaker_state::closed) return {};
  if (state_ == breaker_state::open) {
    if (now < opened_at_ + options_.cooldown) {
      ++totals_.rejected;
      return {.allowed = false, .retry_after = opened_at_ + options_.cooldown - now};
    }
    state_ = breaker_state::half_open;
    probes_out_ = 0;
  }
  if (probes_out_ >= options_.probes) {
    ++totals_.rejected;
    return {.allowed = false, .retry_after = k_probe_busy_retry};
  }
  ++probes_out_;
  return {.allowed = true, .probe = true};
}

void circuit_breaker::end_probe() {
  if (probes_out_ > 0) --probes_out_;
}

void circuit_breaker::forget_old(rt::time_point now) {
  while (!recent_.empty() && recent_.front() <= now - options_.window) recent_.pop_front();
}

void circuit_breaker::open(rt::time_point now) {
  state_ = breaker_state::open;
  opened_at_ = now;
  probes_out_ = 0;
  ++totals_.opened;
}

void circuit_breaker::on_failure(rt::time_point now, std::string_view error) {
  ++totals_.failures;
  totals_.last_error = std::string(error);
  if (options_.failures == 0) return;
  switch (state_) {
    case breaker_state::closed:
      forget_old(now);
      recent_.push_back(now);
      if (recent_.size() >= options_.failures) open(now);
      return;
    case breaker_state::half_open:  // the probe failed: another cooldown
      open(now);
      return;
    case breaker_state::open:  // a request admitted before it opened failed too
      return;
  }
}

void circuit_breaker::on_success() {
  if (state_ != breaker_state::half_open) return;
  state_ = breaker_state::closed;
  recent_.clear();
  probes_out_ = 0;
  ++totals_.closed_again;
}

breaker_report circuit_breaker::report(rt::time_point now) const {
  breaker_report r = totals_;
  r.state = state_;
  r.recent_failures = recent_.size();
  if (state_ == breaker_state::closed) {
    r.recent_failures = 0;
    for (const auto& t : recent_) r.recent_failures += t > now - options_.window;
  }
  if (state_ == breaker_state::open) {
    if (now >= opened_at_ + options_.cooldown) {
      r.state = breaker_state::half_open;
    } else {
      r.retry_after = opened_at_ + options_.cooldown - now;
    }
  }
  return r;
}

}  // namespace hf::serving
