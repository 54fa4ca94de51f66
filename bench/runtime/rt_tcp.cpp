// Loopback TCP benchmarks, client and server in the same run: 1-byte echo round trips, and
// throughput of 64 KiB writes read by the peer. JSON lines, see bench_util.hpp.
#include "runtime/bench_util.hpp"
#include "runtime/net/tcp.hpp"
#include "runtime/runtime.hpp"

namespace rt = hf::rt;

namespace {

constexpr std::size_t kChunk = 64 * 1024;

rt::task<void> echo_round_trips(std::size_t n) {
  auto listener = rt::tcp_listener::bind("127.0.0.1", 0);
  co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
    tg.start_soon([&]() -> rt::task<void> {
      rt::tcp_stream conn = co_await listener.accept();
      std::byte b[1];
      for (std::size_t i = 0; i < n; ++i) {
        co_await conn.receive(b);
        co_await conn.send_all(std::span<const std::byte>(b, 1));
      }
    });
    rt::tcp_stream c = co_await rt::tcp_connect("127.0.0.1", listener.local_port());
    std::byte b[1] = {std::byte{'x'}};
    for (std::size_t i = 0; i < n; ++i) {
      co_await c.send_all(std::span<const std::byte>(b, 1));
      co_await c.receive(b);
    }
  });
}

rt::task<void> throughput(std::size_t chunks) {
  auto listener = rt::tcp_listener::bind("127.0.0.1", 0);
  co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
    tg.start_soon([&]() -> rt::task<void> {
      rt::tcp_stream conn = co_await listener.accept();
      std::vector<std::byte> buf(kChunk);
      std::size_t total = 0;
      try {
        for (;;) total += co_await conn.receive(buf);
      } catch (const rt::end_of_stream&) {
      }
      if (total != chunks * kChunk) std::fprintf(stderr, "tcp: lost bytes\n");
    });
    rt::tcp_stream c = co_await rt::tcp_connect("127.0.0.1", listener.local_port());
    std::vector<std::byte> data(kChunk, std::byte{7});
    for (std::size_t i = 0; i < chunks; ++i) co_await c.send_all(data);
    co_await c.send_eof();
  });
}

}  // namespace

int main(int argc, char** argv) {
  auto opt = hf::bench::parse_args(argc, argv);
  hf::bench::measure(opt, "tcp_echo_1byte", 100'000, echo_round_trips);
  hf::bench::measure(opt, "tcp_throughput_64k", 20'000, throughput, kChunk);
  return 0;
}
