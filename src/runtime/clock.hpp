// The runtime's clock (D-1, D-8). Real runs read std::chrono::steady_clock; tests inject a
// virtual_clock, which jumps to the next deadline whenever every task is blocked (autojump) or only
// moves when the test calls advance().
//   auto clk = std::make_shared<rt::virtual_clock>();
//   rt::run([]() -> rt::task<void> { co_await rt::sleep(10s); }, {.clock = clk});  // returns at once
#pragma once
#include <chrono>
#include <memory>

namespace hf::rt {

using clock_type = std::chrono::steady_clock;
using time_point = clock_type::time_point;
using duration = clock_type::duration;
using namespace std::chrono_literals;

// +infinity / -infinity for deadlines (D-2, D-6).
inline constexpr time_point no_deadline = time_point::max();
inline constexpr time_point past_deadline = time_point::min();

class clock_source {
 public:
  virtual ~clock_source() = default;
  virtual time_point now() const = 0;
  // A virtual clock never makes the loop wait in real time for a timer.
  virtual bool is_virtual() const { return false; }
  // Called by the loop when all tasks are blocked; a virtual clock may jump to `next_deadline`.
  virtual bool try_autojump(time_point next_deadline) {
    (void)next_deadline;
    return false;
  }
};

class steady_clock_source final : public clock_source {
 public:
  time_point now() const override { return clock_type::now(); }
};

class virtual_clock final : public clock_source {
 public:
  explicit virtual_clock(bool autojump = true, time_point start = time_point{} + 1000s)
      : now_(start), autojump_(autojump) {}
  time_point now() const override { return now_; }
  bool is_virtual() const override { return true; }
  bool try_autojump(time_point next) override {
    if (!autojump_ || next == no_deadline || next <= now_) return false;
    now_ = next;
    return true;
  }
  // Moves time forward by d (from a task of the run using this clock, or before the run).
  void advance(duration d) { now_ += d; }
  void set_autojump(bool on) { autojump_ = on; }

 private:
  time_point now_;
  bool autojump_;
};

// Converts seconds as double (anyio's unit) to a duration; +inf stays infinite via no_deadline math.
inline duration seconds(double s) {
  return std::chrono::duration_cast<duration>(std::chrono::duration<double>(s));
}

}  // namespace hf::rt
