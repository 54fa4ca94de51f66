// Conformance-suite harness: every test runs once per backend (epoll, io_uring) and per scheduling
// policy (fifo, lifo), as anyio's suite runs on every backend (spec B-2). Tests use a virtual
// clock that jumps to the next deadline when all tasks are blocked, so timings are exact and fast.
#pragma once
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <tuple>

#include "runtime/runtime.hpp"

namespace hf::rt::testing {

struct backend_param {
  std::string backend;
  scheduling_policy policy;
};

inline void PrintTo(const backend_param& p, std::ostream* os) {
  *os << p.backend << (p.policy == scheduling_policy::fifo ? "/fifo" : "/lifo");
}

inline std::string param_name(const ::testing::TestParamInfo<backend_param>& info) {
  std::string b = info.param.backend == "io_uring" ? "io_uring" : info.param.backend;
  return b + (info.param.policy == scheduling_policy::fifo ? "_fifo" : "_lifo");
}

class conformance : public ::testing::TestWithParam<backend_param> {
 protected:
  // Runs entry on the parameter's backend with an auto-jumping virtual clock.
  template <class F>
  auto run_virtual(F entry) {
    clock_ = std::make_shared<virtual_clock>(/*autojump=*/true);
    return rt::run(std::move(entry), {.backend = GetParam().backend,
                                      .clock = clock_,
                                      .policy = GetParam().policy});
  }
  // Runs entry on the parameter's backend with the real clock (for I/O and thread tests).
  template <class F>
  auto run_real(F entry) {
    return rt::run(std::move(entry), {.backend = GetParam().backend, .policy = GetParam().policy});
  }
  std::shared_ptr<virtual_clock> clock_;
};

#define HF_CONFORMANCE_SUITE(suite)                                                          \
  INSTANTIATE_TEST_SUITE_P(                                                                  \
      all_backends, suite,                                                                   \
      ::testing::Values(::hf::rt::testing::backend_param{"epoll", ::hf::rt::scheduling_policy::fifo}, \
                        ::hf::rt::testing::backend_param{"epoll", ::hf::rt::scheduling_policy::lifo}, \
                        ::hf::rt::testing::backend_param{"io_uring", ::hf::rt::scheduling_policy::fifo}, \
                        ::hf::rt::testing::backend_param{"io_uring", ::hf::rt::scheduling_policy::lifo}), \
      ::hf::rt::testing::param_name)

// gtest's ASSERT_* use `return`, which coroutines forbid: this fails the test and leaves the coroutine.
#define CO_ASSERT(cond)                          \
  do {                                           \
    if (!(cond)) {                               \
      ADD_FAILURE() << "assertion failed: " #cond; \
      co_return;                                 \
    }                                            \
  } while (0)

// Seconds on the virtual clock between two time points.
inline double secs(duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace hf::rt::testing
