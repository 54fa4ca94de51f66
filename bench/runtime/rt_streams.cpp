// Memory object stream benchmarks: items per second from one sender task to one receiver task,
// through a buffer of 100 and through a rendezvous (buffer 0). JSON lines, see bench_util.hpp.
#include "runtime/bench_util.hpp"
#include "runtime/runtime.hpp"

namespace rt = hf::rt;

namespace {

rt::task<void> pump(std::size_t n, std::size_t buffer) {
  auto [tx, rx] = rt::create_memory_object_stream<int>(buffer);
  co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
    tg.start_soon([&, tx = std::move(tx)]() mutable -> rt::task<void> {
      for (std::size_t i = 0; i < n; ++i) co_await tx.send(static_cast<int>(i));
      tx.close();
    });
    std::size_t got = 0;
    while (auto item = co_await rx.receive_or_end()) got += *item >= 0;
    if (got != n) std::fprintf(stderr, "memory stream lost items: %zu of %zu\n", got, n);
  });
}

}  // namespace

int main(int argc, char** argv) {
  auto opt = hf::bench::parse_args(argc, argv);
  hf::bench::measure(opt, "memstream_buffered100", 2'000'000,
                     [](std::size_t n) { return pump(n, 100); });
  hf::bench::measure(opt, "memstream_unbuffered", 1'000'000,
                     [](std::size_t n) { return pump(n, 0); });
  return 0;
}
