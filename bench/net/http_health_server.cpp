// A minimal hfserve HTTP server for load tests: GET /health -> {"status":"ok"}. Prints
// {"port": N} once listening, serves until SIGINT/SIGTERM, then drains for up to 2 s.
//   ./bench_http_health_server [port=0] [backend=auto]   then: wrk -t2 -c64 -d10s
//   http://127.0.0.1:N/health
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "net/http/exchange.hpp"
#include "net/http/server.hpp"
#include "runtime/runtime.hpp"
#include "runtime/signals/signal_receiver.hpp"

namespace http = hf::net::http;
namespace rt = hf::rt;

int main(int argc, char** argv) {
  auto port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 0);
  std::string backend = argc > 2 ? argv[2] : "";
  rt::run(
      [port]() -> rt::task<void> {
        http::server srv({.port = port});
        srv.route(http::method::get, "/health", [](http::exchange& ex) -> rt::task<void> {
          co_await ex.respond(http::response::json(R"({"status":"ok"})"));
        });
        auto signals = rt::open_signal_receiver({SIGINT, SIGTERM});
        co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
          std::uint16_t bound = co_await tg.start<std::uint16_t>(
              [&](rt::task_status<std::uint16_t>& st) { return srv.serve(st); });
          std::printf("{\"port\": %u, \"backend\": \"%s\"}\n", bound,
                      std::string(rt::current_backend_name()).c_str());
          std::fflush(stdout);
          co_await signals.receive();
          co_await srv.drain(std::chrono::seconds(2));
        });
      },
      {.backend = backend});
  return 0;
}
