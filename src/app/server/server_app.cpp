#include "app/server/server_app.hpp"

#include <csignal>
#include <iostream>

#include "api/openai/context.hpp"
#include "api/openai/routes.hpp"
#include "app/server/auth_setup.hpp"
#include "app/server/demo_models.hpp"
#include "app/server/server_metrics.hpp"
#include "app/server/usage_recorder.hpp"
#include "app/web/web_page.hpp"
#include "auth/usage_log.hpp"
#include "base/version.hpp"
#include "engine/kernels/compute_threads.hpp"
#include "hardware/hardware.hpp"
#include "net/http/server.hpp"
#include "observability/access_log.hpp"
#include "observability/log.hpp"
#include "runtime/runtime.hpp"
#include "runtime/signals/signal_receiver.hpp"
#include "runtime/sync/capacity_limiter.hpp"
#include "runtime/threads/to_thread.hpp"
#include "serving/cache/model_cache.hpp"
#include "serving/registry/discovery.hpp"
#include "serving/response_cache/response_cache.hpp"

namespace hf::app {
namespace {

api::available_model to_available(const serving::model_entry& e) {
  api::available_model m;
  m.id = e.id;
  m.dir = e.path;
  m.architecture = e.architecture;
  m.task = std::string(serving::model_task_name(e.task));
  m.parameters = e.parameters.value_or(0);
  m.dtype = e.dtype;
  m.size_bytes = e.size_bytes;
  m.supported = e.supported && e.ok();
  std::error_code ec;
  auto t = std::filesystem::last_write_time(e.path / "config.json", ec);
  if (!ec) {
    m.created = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::file_clock::to_sys(t).time_since_epoch())
                    .count();
  }
  return m;
}

// Discovery, falling back to the demo models on a machine with none. Blocking: runs on a worker.
std::vector<api::available_model> discover_catalogue(const server_config& cfg, bool& demo) {
  auto log = obs::get_logger("app");
  serving::discovery_options opts{.model_dirs = cfg.model_dirs, .hub_cache = cfg.hub_cache};
  auto entries = serving::discover(opts);
  bool any = std::any_of(entries.begin(), entries.end(),
                         [](const serving::model_entry& e) { return e.supported && e.ok(); });
  demo = false;
  if (!any) {
    log.warn(
        "no model found in the model folders or the HF cache: creating random-weight DEMO "
        "models (their output is gibberish)",
        {{"dir", cfg.demo_models_dir.string()}});
    ensure_demo_models(cfg.demo_models_dir);
    opts.model_dirs.push_back(cfg.demo_models_dir);
    entries = serving::discover(opts);
    demo = true;
  }
  std::vector<api::available_model> out;
  for (const auto& e : entries) {
    if (!e.ok()) {
      log.warn("skipping broken model folder", {{"model", e.id}, {"error", e.error}});
      continue;
    }
    out.push_back(to_available(e));
    log.info("model available", {{"model", e.id},
                                 {"architecture", e.architecture},
                                 {"task", serving::model_task_name(e.task)},
                                 {"supported", e.supported},
                                 {"path", e.path.string()}});
  }
  return out;
}

}  // namespace

int run_server(const server_config& cfg) {
  obs::configure_logging({.level = cfg.log_level, .format = cfg.log_format});
  auto log = obs::get_logger("app");
  log.info("starting hfserve", {{"version", std::string(hf::version())},
                                {"host", cfg.host},
                                {"port", static_cast<std::uint64_t>(cfg.port)}});
  auto run_started = std::chrono::steady_clock::now();
  auth_state auth;
  try {
    auth = set_up_auth(cfg);
  } catch (const std::exception& e) {
    log.error("cannot open the key database", {{"error", e.what()}});
    return 1;
  }
  // The usage log lives in the key database whenever one is open (auth on, --db given or found).
  std::unique_ptr<auth::usage_log> usage_db;
  if (auth.keys) {
    try {
      usage_db = std::make_unique<auth::usage_log>(auth.db_path);
    } catch (const std::exception& e) {
      log.error("cannot open the usage log", {{"error", e.what()}});
      return 1;
    }
    log.info("usage log on: one row per request",
             {{"db", auth.db_path.string()}, {"log_prompts", cfg.log_prompts}});
  }
  engine::set_compute_threads(cfg.threads);
  log.info("engine compute threads",
           {{"threads", static_cast<std::uint64_t>(engine::compute_threads())}});
  try {
    rt::run(
        [&]() -> rt::task<void> {
          api::server_state state = api::server_state::starting;
          api::api_context ctx;
          ctx.started = run_started;
          ctx.backend = std::string(rt::current_backend_name());
          ctx.request_timeout = cfg.request_timeout;
          ctx.state = [&state] { return state; };
          ctx.auth = {
              .enabled = auth.enabled, .keys = auth.keys.get(), .limits = auth.limits.get()};
          ctx.model_roots = cfg.model_dirs;
          ctx.model_roots.push_back(cfg.demo_models_dir);
          if (!cfg.hub_cache.empty()) ctx.model_roots.push_back(cfg.hub_cache);

          hw::hardware_info hardware =
              co_await rt::to_thread::run_sync([] { return hw::detect(); });
          nlohmann::json hardware_json = hw::to_json(hardware);
          ctx.hardware = [&hardware_json] { return hardware_json; };

          bool demo = false;
          std::vector<api::available_model> catalogue =
              co_await rt::to_thread::run_sync([&] { return discover_catalogue(cfg, demo); });
          ctx.available = [&catalogue] { return catalogue; };
          ctx.add_model = [&catalogue](const api::available_model& m) {
            for (auto& c : catalogue) {
              if (c.id == m.id) {
                c = m;
                return;
              }
            }
            catalogue.push_back(m);
          };
          auto resolve =
              [&catalogue](const std::string& id) -> std::optional<std::filesystem::path> {
            for (const auto& m : catalogue) {
              if (m.id == id && m.supported) return m.dir;
            }
            return std::nullopt;
          };

          // One engine computation at a time: the engine's kernels already use every core.
          rt::capacity_limiter compute(1);
          serving::cache_options copts;
          copts.max_models = cfg.max_loaded_models;
          copts.max_bytes = cfg.max_model_memory;
          copts.load_timeout = cfg.load_timeout;
          copts.dtype = cfg.dtype;
          copts.scheduler.max_batch = cfg.enable_batching ? cfg.max_batch_size : 1;
          copts.scheduler.max_queue = cfg.max_queue;
          copts.scheduler.max_batch_tokens = cfg.max_batch_tokens;
          copts.scheduler.max_total_tokens = cfg.max_total_tokens;
          copts.batcher.max_batch_inputs = cfg.enable_batching ? 32 : 1;
          copts.batcher.max_queue = cfg.max_queue;
          copts.batcher.max_wait = std::chrono::duration_cast<rt::duration>(cfg.max_batch_delay);
          copts.breaker = {
              .failures = cfg.breaker_failures,
              .window = std::chrono::duration_cast<rt::duration>(cfg.breaker_window),
              .cooldown = std::chrono::duration_cast<rt::duration>(cfg.breaker_cooldown),
              .probes = cfg.breaker_probes};
          auto cache_log = obs::get_logger("serving");
          copts.log = [cache_log](std::string_view level, const std::string& msg) {
            cache_log.log(level == "error" ? obs::log_level::error : obs::log_level::info, msg);
          };
          // Answers to deterministic requests; a model's are dropped when it leaves the cache.
          serving::response_cache responses(
              {.max_bytes = cfg.cache_bytes,
               .ttl = std::chrono::duration_cast<rt::duration>(cfg.cache_ttl)});
          ctx.responses = &responses;
          copts.on_unload = [&responses](const std::string& id) { responses.invalidate_model(id); };
          // Declared before the cache: its collect hook reads the cache, which is gone only after
          // the HTTP server (the one caller of render()) has stopped.
          server_metrics metrics(ctx.backend, run_started);
          serving::model_cache cache(resolve, copts, &compute);
          ctx.cache = &cache;
          metrics.watch(cache);
          metrics.watch(responses);
          ctx.metrics = [&metrics] { return metrics.render(); };
          std::optional<usage_recorder> usage;
          if (usage_db) usage.emplace(*usage_db, cfg.log_prompts);
          ctx.on_request = [&metrics, &usage](const api::request_record& r) {
            metrics.observe(r);
            if (usage && !r.probe) usage->record(r);
          };

          net::http::server_config scfg;
          scfg.host = cfg.host;
          scfg.port = cfg.port;
          scfg.max_body_bytes = cfg.max_body_bytes;
          scfg.cors.allowed_origins = cfg.cors_origins;
          scfg.cors.allow_credentials = cfg.cors_credentials;
          net::http::server srv(scfg);
          api::register_routes(srv, ctx);
          register_web_page(srv);
          srv.set_access_logger([&metrics](const net::http::access_log_entry& e) {
            metrics.record(e);
            obs::access_log(e.request_id, e.method, e.path, e.status, e.bytes,
                            std::chrono::duration_cast<std::chrono::nanoseconds>(e.duration));
          });
          auto http_log = obs::get_logger("http");
          srv.set_error_logger([http_log](std::string_view request_id, std::string_view message) {
            http_log.error(message, {{"request_id", request_id}});
          });

          auto signals = rt::open_signal_receiver({SIGINT, SIGTERM});
          co_await rt::with_task_group([&](rt::task_group& tg) -> rt::task<void> {
            co_await tg.start([&](rt::task_status<>& st) { return cache.run(st); });
            if (usage) tg.start_soon([&usage] { return usage->run(); });
            tg.start_soon([&auth] { return auth.limits->run(); });
            std::uint16_t port = co_await tg.start<std::uint16_t>(
                [&](rt::task_status<std::uint16_t>& st) { return srv.serve(st); });
            log.info("listening", {{"url", "http://" + cfg.host + ":" + std::to_string(port)},
                                   {"io_backend", ctx.backend},
                                   {"models", static_cast<std::uint64_t>(catalogue.size())},
                                   {"demo_models", demo}});
            for (const auto& id : cfg.preload) {
              try {
                serving::model_lease lease = co_await cache.acquire(id);
              } catch (const std::exception& e) {
                log.error("preload failed", {{"model", id}, {"error", e.what()}});
              }
            }
            state = api::server_state::ready;
            double ready_ms = std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - run_started)
                                  .count();
            log.info("ready", {{"startup_ms", ready_ms}});
            int sig = co_await signals.receive();
            log.info("shutting down: draining requests in flight",
                     {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"},
                      {"grace_s", std::chrono::duration<double>(cfg.shutdown_grace).count()}});
            state = api::server_state::draining;
            co_await srv.drain(cfg.shutdown_grace);
            if (usage) {  // every answered request is in the log before the process ends
              usage->close();
              co_await usage->wait_written();
              log.info("usage log written",
                       {{"rows", usage->written()}, {"dropped", usage->dropped()}});
            }
            tg.cancel("shutdown");
          });
          log.info("stopped");
        },
        {.backend = std::string(io_backend_name(cfg.backend))});
  } catch (const std::exception& e) {
    log.error("fatal", {{"error", e.what()}});
    return 1;
  }
  return 0;
}

}  // namespace hf::app
