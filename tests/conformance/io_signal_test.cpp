// Signals on every backend: a signal raised inside a run is received, receivers restore the
// previous handler when closed, a blocked receive can be cancelled.
#include "runtime/signals/signal_receiver.hpp"

#include <csignal>

#include "conformance/harness.hpp"

namespace hf::rt::testing {
namespace {

class signal_test : public conformance {};

TEST_P(signal_test, raised_signal_is_received) {
  run_real([]() -> task<void> {
    auto rx = open_signal_receiver({SIGUSR1, SIGUSR2});
    std::raise(SIGUSR2);
    std::raise(SIGUSR1);
    EXPECT_EQ(co_await rx.receive(), SIGUSR2);
    EXPECT_EQ(co_await rx.receive(), SIGUSR1);
    // Waiting for one that arrives later.
    co_await with_task_group([&](task_group& tg) -> task<void> {
      tg.start_soon([&]() -> task<void> { EXPECT_EQ(co_await rx.receive(), SIGUSR1); });
      co_await wait_all_tasks_blocked();
      std::raise(SIGUSR1);
    });
  });
}

TEST_P(signal_test, close_restores_the_previous_handler) {
  struct sigaction before{};
  ::sigaction(SIGUSR1, nullptr, &before);
  run_real([]() -> task<void> {
    auto rx = open_signal_receiver({SIGUSR1});
    struct sigaction during{};
    ::sigaction(SIGUSR1, nullptr, &during);
    EXPECT_NE(during.sa_handler, SIG_DFL);
    rx.close();
    EXPECT_THROW(co_await rx.receive(), closed_resource_error);
  });
  struct sigaction after{};
  ::sigaction(SIGUSR1, nullptr, &after);
  EXPECT_EQ(after.sa_handler, before.sa_handler);
}

TEST_P(signal_test, blocked_receive_is_cancellable) {
  run_real([]() -> task<void> {
    auto rx = open_signal_receiver({SIGUSR1});
    auto sc = cancel_scope::move_on_after(10ms);
    co_await sc.run([&]() -> task<void> { co_await rx.receive(); });
    EXPECT_TRUE(sc.cancelled_caught());
    std::raise(SIGUSR1);  // still delivered to this receiver afterwards
    EXPECT_EQ(co_await rx.receive(), SIGUSR1);
  });
}

TEST(signal_receiver_args, uncatchable_signal_is_argument_error) {
  EXPECT_THROW(open_signal_receiver({SIGKILL}), argument_error);
  EXPECT_THROW(open_signal_receiver({0}), argument_error);
}

HF_CONFORMANCE_SUITE(signal_test);

}  // namespace
}  // namespace hf::rt::testing
