#include "app/config/config_fields.hpp"

#include "app/config/value_parsers.hpp"
#include "auth/redis_connection.hpp"

namespace hf::app {
namespace {

using values = std::vector<std::string>;
using config = server_config;
using context = parse_context;

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(1, sep)) + i;
  return out;
}

std::string join_paths(const std::vector<std::filesystem::path>& paths) {
  std::vector<std::string> s;
  for (const auto& p : paths) s.push_back(p.string());
  return join(s, ':');
}

std::string show_bool(bool b) {
  return b ? "true" : "false";
}

std::uint64_t parse_limit(std::string_view text, std::uint64_t min_value) {
  if (text == "auto") return 0;
  return parse_count(text, min_value);
}

std::filesystem::path parse_path(std::string_view text, const parse_context& ctx) {
  if (text.empty()) throw invalid_value("'' is not a path");
  return expand_home(text, ctx.home);
}

const std::vector<config_field> k_fields = {
    {"host", "--host", "HF_SERVER_HOST", "HOST", "Address to listen on", field_kind::scalar, 0,
     false,
     [](config& c, const values& v, const context&) {
       if (v.back().empty() || v.back().find_first_of(" \t/") != std::string::npos)
         throw invalid_value("'" + v.back() + "' is not a host name or address");
       c.host = v.back();
     },
     [](const config& c) { return c.host; }},
    {"port", "--port", "HF_SERVER_PORT", "PORT", "TCP port to listen on (0: any free port)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) { c.port = parse_port(v.back()); },
     [](const config& c) { return std::to_string(c.port); }},
    {"log_level", "--log-level", "HF_SERVER_LOG_LEVEL", "LEVEL",
     "Log level: trace, debug, info, warn or error", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       const auto l = obs::parse_log_level(v.back());
       if (!l)
         throw invalid_value("'" + v.back() +
                             "' is not a log level (trace, debug, info, warn, error)");
       c.log_level = *l;
     },
     [](const config& c) { return std::string(obs::log_level_name(c.log_level)); }},
    {"log_format", "--log-format", "HF_SERVER_LOG_FORMAT", "FORMAT",
     "Log line format: text or json", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       const auto f = obs::parse_log_format(v.back());
       if (!f) throw invalid_value("'" + v.back() + "' is not a log format (text, json)");
       c.log_format = *f;
     },
     [](const config& c) { return std::string(obs::log_format_name(c.log_format)); }},
    {"backend", "--backend", "HFSERVE_BACKEND", "NAME", "I/O backend: auto, epoll or io_uring",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       if (v.back() == "auto")
         c.backend = io_backend::automatic;
       else if (v.back() == "epoll")
         c.backend = io_backend::epoll;
       else if (v.back() == "io_uring")
         c.backend = io_backend::io_uring;
       else
         throw invalid_value("'" + v.back() + "' is not an I/O backend (auto, epoll, io_uring)");
     },
     [](const config& c) { return std::string(io_backend_name(c.backend)); }},
    {"model_dirs", "--model-dir", "HF_SERVER_MODEL_DIRS", "DIR",
     "Folder of model folders (or one model folder); repeatable, ':'-separated in the env var",
     field_kind::list, ':', false,
     [](config& c, const values& v, const context& ctx) {
       c.model_dirs.clear();
       for (const auto& d : v) c.model_dirs.push_back(parse_path(d, ctx));
     },
     [](const config& c) { return join_paths(c.model_dirs); }},
    {"hf_home", "--hf-home", "HF_HOME", "DIR", "HuggingFace home folder", field_kind::scalar, 0,
     false,
     [](config& c, const values& v, const context& ctx) { c.hf_home = parse_path(v.back(), ctx); },
     [](const config& c) {
       return c.hf_home.empty() ? std::string("$XDG_CACHE_HOME/huggingface or ~/.cache/huggingface")
                                : c.hf_home.string();
     }},
    {"hub_cache", "--hub-cache", "HF_HUB_CACHE", "DIR",
     "HuggingFace hub cache, where models are discovered", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context& ctx) {
       c.hub_cache = parse_path(v.back(), ctx);
     },
     [](const config& c) {
       return c.hub_cache.empty() ? std::string("<hf_home>/hub") : c.hub_cache.string();
     }},
    {"preload", "--preload", "HF_SERVER_PRELOAD", "ID",
     "Model ids to load at startup (several values or ','-separated)", field_kind::list, ',', true,
     [](config& c, const values& v, const context&) { c.preload = v; },
     [](const config& c) { return join(c.preload, ','); }},
    {"max_loaded_models", "--max-loaded-models", "HF_SERVER_MAX_LOADED_MODELS", "N",
     "Models kept in memory at once (least recently used is unloaded)", field_kind::scalar, 0,
     false,
     [](config& c, const values& v, const context&) {
       c.max_loaded_models = parse_count(v.back(), 1);
     },
     [](const config& c) { return std::to_string(c.max_loaded_models); }},
    {"max_model_memory", "--max-model-memory", "HF_SERVER_MAX_MODEL_MEMORY", "BYTES",
     "Memory budget for loaded models, e.g. 8GiB or 500MB (0 or 'unlimited': no limit)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.max_model_memory = v.back() == "unlimited" ? 0 : parse_byte_size(v.back());
     },
     [](const config& c) {
       return c.max_model_memory == 0 ? std::string("unlimited")
                                      : format_byte_size(c.max_model_memory);
     }},
    {"load_timeout", "--load-timeout", "HF_SERVER_LOAD_TIMEOUT", "SECONDS",
     "Longest time a model load may take", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) { c.load_timeout = parse_duration(v.back()); },
     [](const config& c) { return format_duration(c.load_timeout); }},
    {"enable_batching", "--enable-batching", "HF_SERVER_ENABLE_BATCHING", "BOOL",
     "Batch concurrent requests to one model (--no-enable-batching turns it off)",
     field_kind::boolean, 0, false,
     [](config& c, const values& v, const context&) { c.enable_batching = parse_bool(v.back()); },
     [](const config& c) { return show_bool(c.enable_batching); }},
    {"max_batch_size", "--max-batch-size", "HF_SERVER_MAX_BATCH_SIZE", "N",
     "Largest batch of requests", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.max_batch_size = parse_count(v.back(), 1);
     },
     [](const config& c) { return std::to_string(c.max_batch_size); }},
    {"max_batch_tokens", "--max-batch-tokens", "HF_SERVER_MAX_BATCH_TOKENS", "N",
     "Tokens one generation step feeds in all: one per decoding sequence, prompt chunks share "
     "the rest, so long prompts are prefilled between decode steps (0: no bound)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.max_batch_tokens = parse_limit(v.back(), 0);
     },
     [](const config& c) { return std::to_string(c.max_batch_tokens); }},
    {"max_total_tokens", "--max-total-tokens", "HF_SERVER_MAX_TOTAL_TOKENS", "N",
     "KV budget per generation model: prompt + max_tokens of all running requests; the next "
     "waits in the queue while it is full (0: no budget)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.max_total_tokens = parse_limit(v.back(), 0);
     },
     [](const config& c) { return std::to_string(c.max_total_tokens); }},
    {"dtype", "--dtype", "HF_SERVER_DTYPE", "TYPE",
     "Weight type of every loaded model's matrices: auto (the checkpoint's own: bf16 stays bf16), "
     "f32, bf16, f16, or int8 (per-channel quantized at load); /models/load may ask per model",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       const auto d = engine::dtype_request::parse(v.back());
       if (!d)
         throw invalid_value("'" + v.back() + "' is not a dtype (" +
                             std::string(engine::dtype_request::choices) + ")");
       c.dtype = *d;
     },
     [](const config& c) { return c.dtype.name(); }},
    {"max_batch_delay", "--max-batch-delay", "HF_SERVER_MAX_BATCH_DELAY", "SECONDS",
     "Embedding and classification requests: how long a batch that is not full waits for more "
     "(e.g. 2ms; 0: run what is there)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.max_batch_delay = parse_duration(v.back());
     },
     [](const config& c) { return format_duration(c.max_batch_delay); }},
    {"max_queue", "--max-queue", "HF_SERVER_MAX_QUEUE", "N",
     "Requests that may wait for a model before new ones get 503", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) { c.max_queue = parse_count(v.back(), 1); },
     [](const config& c) { return std::to_string(c.max_queue); }},
    {"request_timeout", "--request-timeout", "HF_SERVER_REQUEST_TIMEOUT", "SECONDS",
     "Longest time one request may take", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.request_timeout = parse_duration(v.back());
     },
     [](const config& c) { return format_duration(c.request_timeout); }},
    {"cache_bytes", "--cache-bytes", "HF_SERVER_CACHE_BYTES", "BYTES",
     "Response cache for deterministic requests (temperature 0 or a seed), e.g. 64MiB; 0: off",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) { c.cache_bytes = parse_byte_size(v.back()); },
     [](const config& c) { return format_byte_size(c.cache_bytes); }},
    {"cache_ttl", "--cache-ttl", "HF_SERVER_CACHE_TTL", "SECONDS",
     "How long a cached response may be served (0: until evicted or its model unloads)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) { c.cache_ttl = parse_duration(v.back()); },
     [](const config& c) { return format_duration(c.cache_ttl); }},
    {"breaker_failures", "--breaker-failures", "HF_SERVER_BREAKER_FAILURES", "N",
     "Failures of one model (load or engine errors) within --breaker-window that open its "
     "circuit breaker (0: never)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.breaker_failures = parse_limit(v.back(), 0);
     },
     [](const config& c) { return std::to_string(c.breaker_failures); }},
    {"breaker_window", "--breaker-window", "HF_SERVER_BREAKER_WINDOW", "SECONDS",
     "How far back the circuit breaker counts a model's failures", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.breaker_window = parse_duration(v.back());
     },
     [](const config& c) { return format_duration(c.breaker_window); }},
    {"breaker_cooldown", "--breaker-cooldown", "HF_SERVER_BREAKER_COOLDOWN", "SECONDS",
     "How long an open breaker refuses its model (503 + Retry-After) before letting a probe try",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.breaker_cooldown = parse_duration(v.back());
     },
     [](const config& c) { return format_duration(c.breaker_cooldown); }},
    {"breaker_probes", "--breaker-probes", "HF_SERVER_BREAKER_PROBES", "N",
     "Requests a half-open breaker lets through to test its model", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.breaker_probes = parse_count(v.back(), 1);
     },
     [](const config& c) { return std::to_string(c.breaker_probes); }},
    {"cors_origins", "--cors-origins", "HF_SERVER_CORS_ORIGINS", "ORIGIN",
     "Origins allowed by CORS, ','-separated ('*': any; empty: CORS off)", field_kind::list, ',',
     true, [](config& c, const values& v, const context&) { c.cors_origins = v; },
     [](const config& c) { return join(c.cors_origins, ','); }},
    {"cors_credentials", "--cors-credentials", "HF_SERVER_CORS_CREDENTIALS", "BOOL",
     "Allow credentials in CORS requests", field_kind::boolean, 0, false,
     [](config& c, const values& v, const context&) { c.cors_credentials = parse_bool(v.back()); },
     [](const config& c) { return show_bool(c.cors_credentials); }},
    {"max_body_bytes", "--max-body-bytes", "HF_SERVER_MAX_BODY_BYTES", "BYTES",
     "Largest request body accepted", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.max_body_bytes = parse_byte_size(v.back());
     },
     [](const config& c) { return format_byte_size(c.max_body_bytes); }},
    {"threads", "--threads", "HF_SERVER_THREADS", "N",
     "Engine compute threads (0 or 'auto': one per CPU core)", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) { c.threads = parse_limit(v.back(), 0); },
     [](const config& c) {
       return c.threads == 0 ? std::string("auto") : std::to_string(c.threads);
     }},
    {"shutdown_grace", "--shutdown-grace", "HF_SERVER_SHUTDOWN_GRACE", "SECONDS",
     "On SIGTERM, time in-flight requests get to finish before they are cancelled",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.shutdown_grace = parse_duration(v.back());
     },
     [](const config& c) { return format_duration(c.shutdown_grace); }},
    {"demo_models_dir", "--demo-models-dir", "HF_SERVER_DEMO_MODELS_DIR", "DIR",
     "Folder of demo models (made by `hfserve make-model`)", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context& ctx) {
       c.demo_models_dir = parse_path(v.back(), ctx);
     },
     [](const config& c) { return c.demo_models_dir.string(); }},
    {"auth", "--auth", "HF_SERVER_AUTH", "MODE",
     "API keys: auto (on when the key database has a key), off or on", field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       if (v.back() == "auto")
         c.auth = auth_mode::automatic;
       else if (v.back() == "off")
         c.auth = auth_mode::off;
       else if (v.back() == "on")
         c.auth = auth_mode::on;
       else
         throw invalid_value("'" + v.back() + "' is not an auth mode (auto, off, on)");
     },
     [](const config& c) { return std::string(auth_mode_name(c.auth)); }},
    {"db", "--db", "HF_SERVER_DB", "FILE",
     "SQLite database of API keys (`hfserve keys`); default ./hfserve.db", field_kind::scalar, 0,
     false,
     [](config& c, const values& v, const context& ctx) { c.db = parse_path(v.back(), ctx); },
     [](const config& c) { return c.db.empty() ? std::string("./hfserve.db") : c.db.string(); }},
    {"log_prompts", "--log-prompts", "HF_SERVER_LOG_PROMPTS", "BOOL",
     "Keep request bodies (prompts) in the usage log of the key database", field_kind::boolean, 0,
     false,
     [](config& c, const values& v, const context&) { c.log_prompts = parse_bool(v.back()); },
     [](const config& c) { return show_bool(c.log_prompts); }},
    {"rate_limit_store", "--rate-limit-store", "HF_SERVER_RATE_LIMIT_STORE", "STORE",
     "Where per-key rate limits live: memory (this process) or redis://HOST:PORT (shared by "
     "every server using that Redis)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       if (v.back() != "memory" && !auth::parse_redis_url(v.back()))
         throw invalid_value("'" + v.back() +
                             "' is not a rate-limit store (memory, redis://HOST:PORT)");
       c.rate_limit_store = v.back();
     },
     [](const config& c) { return c.rate_limit_store; }},
    {"rate_limit_fail", "--rate-limit-fail", "HF_SERVER_RATE_LIMIT_FAIL", "MODE",
     "When the Redis store is unreachable: open (serve on this process's limits) or closed (503)",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       if (v.back() != "open" && v.back() != "closed")
         throw invalid_value("'" + v.back() + "' is not open or closed");
       c.rate_limit_fail_closed = v.back() == "closed";
     },
     [](const config& c) { return std::string(c.rate_limit_fail_closed ? "closed" : "open"); }},
    {"rate_limit_timeout", "--rate-limit-timeout", "HF_SERVER_RATE_LIMIT_TIMEOUT", "DURATION",
     "Longest wait for one answer of the Redis store before it counts as unreachable",
     field_kind::scalar, 0, false,
     [](config& c, const values& v, const context&) {
       c.rate_limit_timeout = parse_duration(v.back());
       if (c.rate_limit_timeout.count() <= 0) throw invalid_value("must be more than 0");
     },
     [](const config& c) { return format_duration(c.rate_limit_timeout); }},
};

}  // namespace

const std::vector<config_field>& config_fields() {
  return k_fields;
}

const config_field* find_config_field(std::string_view name) {
  for (const auto& f : k_fields)
    if (f.name == name) return &f;
  return nullptr;
}

std::string_view auth_mode_name(auth_mode m) {
  switch (m) {
    case auth_mode::automatic:
      return "auto";
    case auth_mode::off:
      return "off";
    case auth_mode::on:
      return "on";
  }
  return "auto";
}

std::string_view io_backend_name(io_backend b) {
  switch (b) {
    case io_backend::automatic:
      return "auto";
    case io_backend::epoll:
      return "epoll";
    case io_backend::io_uring:
      break;
  }
  return "io_uring";
}

}  // namespace hf::app
