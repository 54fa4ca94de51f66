// Signal receivers opened for the same signal: the newest gets it; closing it hands the signal back
// to the one opened before.
#include "runtime/signals/signal_receiver.hpp"

#include <gtest/gtest.h>

#include <csignal>

#include "runtime/runtime.hpp"

namespace hf::rt {
namespace {

TEST(signal_nested, newest_receiver_wins_and_close_restores_the_older) {
  rt::run([]() -> task<void> {
    auto outer = open_signal_receiver({SIGUSR2});
    {
      auto inner = open_signal_receiver({SIGUSR2});
      std::raise(SIGUSR2);
      EXPECT_EQ(co_await inner.receive(), SIGUSR2);
      inner.close();
    }
    std::raise(SIGUSR2);
    EXPECT_EQ(co_await outer.receive(), SIGUSR2);
  });
}

}  // namespace
}  // namespace hf::rt
