#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

#include "runtime/errors.hpp"
#include "runtime/io/backend.hpp"

namespace hf::rt::io {

std::unique_ptr<backend> make_backend(std::string_view name) {
  std::string chosen(name);
  if (chosen.empty()) {
    const char* env = std::getenv("HFSERVE_BACKEND");
    chosen = env && *env ? env : "auto";
  }
  if (chosen == "epoll") return make_epoll_backend();
  if (chosen == "io_uring") return make_uring_backend();
  if (chosen == "auto") {
    try {
      return make_uring_backend();
    } catch (const std::system_error& e) {
      static std::atomic<bool> logged{false};  // one line per process, not per run
      if (!logged.exchange(true)) {
        std::fprintf(stderr, "hfserve: io_uring unavailable (%s); using the epoll backend\n",
                     e.what());
      }
      return make_epoll_backend();
    }
  }
  throw unknown_backend_error("unknown I/O backend '" + chosen +
                              "' (expected auto, epoll or io_uring)");
}

}  // namespace hf::rt::io
