// to_thread benchmark: sequential run_sync round trips of a trivial function (dispatch to an idle
// worker, run, complete back on the loop). JSON lines, see bench_util.hpp.
#include "runtime/bench_util.hpp"
#include "runtime/runtime.hpp"
#include "runtime/threads/to_thread.hpp"

namespace rt = hf::rt;

int main(int argc, char** argv) {
  auto opt = hf::bench::parse_args(argc, argv);
  hf::bench::measure(opt, "to_thread", 100'000, [](std::size_t n) -> rt::task<void> {
    std::size_t sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += co_await rt::to_thread::run_sync([i] { return i; });
    if (sum != n * (n - 1) / 2) std::fprintf(stderr, "to_thread: wrong results\n");
  });
  return 0;
}
