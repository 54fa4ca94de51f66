#include "runtime/run.hpp"

#include "runtime/errors.hpp"
#include "runtime/io/backend.hpp"

namespace hf::rt {
namespace detail {

void run_root(task<void> root, const run_options& options) {
  if (loop::current()) throw usage_error("rt::run cannot be nested inside another run");
  // Resolve the backend first: an unknown name must fail before the entry runs (P-1).
  loop lp(io::make_backend(options.backend), options.clock, options.policy, options.seed);
  std::exception_ptr error;
  auto wrapper = [](task<void> body, std::exception_ptr* out) -> task<void> {
    try {
      co_await body;
    } catch (...) {
      *out = std::current_exception();
    }
  };
  task_state* t = lp.spawn(wrapper(std::move(root), &error), "main", nullptr, 0, nullptr);
  lp.run_until_done(t);
  if (error) std::rethrow_exception(error);
}

}  // namespace detail

std::string_view current_backend_name() {
  return detail::loop::require("current_backend_name").io().name();
}

}  // namespace hf::rt
