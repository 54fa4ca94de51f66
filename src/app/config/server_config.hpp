// Server configuration with precedence command-line flag > environment > TOML file > default.
// Every field is described once in config_fields() (flag, env var, TOML key, help, parser), which
// drives the `hfserve serve` flags, their --help text and the loader.
// Usage: config_sources src; add_serve_flags(cmd, src);           // before parsing
//        server_config cfg = load_config(src, process_environment());  // in the callback
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/weights/dtype_request.hpp"
#include "observability/log.hpp"

namespace CLI {
class App;
}

namespace hf::app {

enum class io_backend { automatic, epoll, io_uring };
std::string_view io_backend_name(io_backend b);  // "auto" | "epoll" | "io_uring"

// auto: on when the key database holds a key that is not revoked, off otherwise.
enum class auth_mode { automatic, off, on };
std::string_view auth_mode_name(auth_mode m);  // "auto" | "off" | "on"

struct server_config {
  std::string host = "0.0.0.0";
  std::uint16_t port = 8000;  // 0: any free port
  obs::log_level log_level = obs::log_level::info;
  obs::log_format log_format = obs::log_format::text;
  io_backend backend = io_backend::automatic;
  std::vector<std::filesystem::path> model_dirs;
  std::filesystem::path hf_home;     // after loading: HF_HOME or its default ~/.cache/huggingface
  std::filesystem::path hub_cache;   // after loading: HF_HUB_CACHE or <hf_home>/hub
  std::vector<std::string> preload;  // model ids loaded at startup
  std::uint64_t max_loaded_models = 2;
  std::uint64_t max_model_memory = 0;  // bytes; 0: no limit
  std::chrono::milliseconds load_timeout{std::chrono::seconds(300)};
  engine::dtype_request dtype;  // weight type of loaded models' matrices (auto: the checkpoint's)
  bool enable_batching = true;
  std::uint64_t max_batch_size = 16;     // sequences per generation step (vLLM's max_num_seqs)
  std::uint64_t max_batch_tokens = 512;  // per generation step; 0: no bound
  std::uint64_t max_total_tokens = 0;    // KV budget per generation model; 0: none
  std::chrono::milliseconds max_batch_delay{2};  // encoder batches wait this long for more
  std::uint64_t max_queue = 256;
  std::chrono::milliseconds request_timeout{std::chrono::seconds(600)};
  std::uint64_t cache_bytes = 0;  // response cache bound; 0: off
  std::chrono::milliseconds cache_ttl{std::chrono::seconds(300)};
  std::uint64_t breaker_failures = 5;  // per model circuit breaker; 0: off
  std::chrono::milliseconds breaker_window{std::chrono::seconds(60)};
  std::chrono::milliseconds breaker_cooldown{std::chrono::seconds(30)};
  std::uint64_t breaker_probes = 1;
  std::vector<std::string> cors_origins;  // empty: no CORS headers
  bool cors_credentials = false;
  std::uint64_t max_body_bytes = 16u * 1024u * 1024u;
  std::uint64_t threads = 0;  // engine compute threads; 0: one per CPU core
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
  std::filesystem::path demo_models_dir = "./models";
  auth_mode auth = auth_mode::automatic;
  std::filesystem::path db;  // SQLite key database; empty: ./hfserve.db where auth needs one
  bool log_prompts = false;  // the usage log keeps request bodies too
  std::string rate_limit_store = "memory";  // "memory" or "redis://HOST:PORT"
  bool rate_limit_fail_closed = false;      // Redis unreachable: refuse (503) instead of local
  std::chrono::milliseconds rate_limit_timeout{250};  // per Redis call
  std::filesystem::path config_file;  // the TOML file that was read; empty when none
};

// A bad value or file, with the source in the message: "HF_SERVER_PORT: 'abc' is not a port
// (0-65535)", "--max-queue: ...", "/etc/hfserve.toml:3: port: ...".
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

using env_map = std::map<std::string, std::string, std::less<>>;
env_map process_environment();  // a copy of the process environment

// What the command line said: values per field name (only for flags that were given), and the
// config file named by --config. Filled by the callbacks that add_serve_flags installs.
struct config_sources {
  std::map<std::string, std::vector<std::string>, std::less<>> flags;
  std::optional<std::string> config_file;
};

// Adds one option per field (plus --config) to `cmd`; the options write into `sources`, which must
// outlive parsing. Boolean fields get --x and --no-x. Each help line names the env var and default.
void add_serve_flags(CLI::App& cmd, config_sources& sources);

// Defaults, then the TOML file (sources.config_file, else $HF_SERVER_CONFIG; none when neither is
// set), then `env`, then the flags. An empty environment variable counts as unset. A list given by
// a higher source replaces the lower one. Throws config_error naming the source of a bad value, an
// unknown TOML key or an unreadable file.
server_config load_config(const config_sources& sources, const env_map& env);

// "name = value" for every field of `cfg`, in table order (for a startup log line or `--help`).
std::vector<std::pair<std::string, std::string>> describe_config(const server_config& cfg);

}  // namespace hf::app
