// rt::run: the synchronous entry point. Creates a loop on the calling thread with the chosen I/O
// backend, runs entry() as the root task, returns its value or rethrows its exception (P-1).
//   int v = rt::run([]() -> rt::task<int> { co_await rt::sleep(10ms); co_return 7; },
//                   {.backend = "epoll"});
#pragma once
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include "runtime/clock.hpp"
#include "runtime/detail/core.hpp"
#include "runtime/task.hpp"

namespace hf::rt {

struct run_options {
  // "auto" (io_uring if the kernel allows it, else epoll), "epoll" or "io_uring". Empty: the
  // HFSERVE_BACKEND environment variable, else "auto".
  std::string backend;
  std::shared_ptr<clock_source> clock;  // null: steady clock
  scheduling_policy policy = scheduling_policy::fifo;
  std::uint64_t seed = 0;  // for scheduling_policy::shuffled
};

namespace detail {
// Runs root (a task producing nothing; results travel through captures) to completion.
void run_root(task<void> root, const run_options& options);
}

template <class F>
auto run(F entry, run_options options = {}) {
  using T = typename std::invoke_result_t<F>::value_type;
  if constexpr (std::is_void_v<T>) {
    detail::run_root([](F fn) -> task<void> { co_await fn(); }(std::move(entry)), options);
  } else {
    std::optional<T> result;
    detail::run_root(
        [](F fn, std::optional<T>* out) -> task<void> { out->emplace(co_await fn()); }(
            std::move(entry), &result),
        options);
    return std::move(*result);
  }
}

// Name of the backend the current run uses ("epoll" or "io_uring").
std::string_view current_backend_name();

}  // namespace hf::rt
