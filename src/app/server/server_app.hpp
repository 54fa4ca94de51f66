// The composition root of `hfserve serve`: logging, hardware detection, model discovery (with
// the demo-model fallback), the model cache, the HTTP server and its routes, signals and the
// two-stage shutdown (SIGINT/SIGTERM: /ready turns 503, the listener closes, requests in flight
// get shutdown_grace to finish, then the rest is cancelled). Blocks until the server has stopped.
//   return hf::app::run_server(load_config(sources, process_environment()));
#pragma once
#include "app/config/server_config.hpp"

namespace hf::app {

// Returns the process exit code (0 after a clean shutdown).
int run_server(const server_config& config);

}  // namespace hf::app
