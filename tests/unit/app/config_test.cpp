#include "app/config/server_config.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include "app/config/config_fields.hpp"
#include "support/temp_dir.hpp"

namespace hf::app {
namespace {

namespace fs = std::filesystem;

using test_support::temp_dir;

// Parses `args` as `serve` flags; the result feeds load_config.
config_sources parse_flags(std::vector<std::string> args) {
  CLI::App app;
  config_sources src;
  add_serve_flags(app, src);
  std::vector<const char*> argv{"serve"};
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return src;
}

std::string error_of(const config_sources& src, const env_map& env) {
  try {
    load_config(src, env);
  } catch (const config_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Config, Defaults) {
  const auto cfg = load_config({}, {{"HOME", "/home/u"}});
  EXPECT_EQ(cfg.host, "0.0.0.0");
  EXPECT_EQ(cfg.port, 8000);
  EXPECT_EQ(cfg.log_level, obs::log_level::info);
  EXPECT_EQ(cfg.log_format, obs::log_format::text);
  EXPECT_EQ(cfg.backend, io_backend::automatic);
  EXPECT_TRUE(cfg.model_dirs.empty());
  EXPECT_EQ(cfg.hf_home, fs::path("/home/u/.cache/huggingface"));
  EXPECT_EQ(cfg.hub_cache, fs::path("/home/u/.cache/huggingface/hub"));
  EXPECT_EQ(cfg.max_loaded_models, 2u);
  EXPECT_EQ(cfg.max_model_memory, 0u);
  EXPECT_TRUE(cfg.enable_batching);
  EXPECT_EQ(cfg.max_batch_size, 16u);
  EXPECT_EQ(cfg.max_batch_tokens, 512u);
  EXPECT_EQ(cfg.max_total_tokens, 0u);
  EXPECT_EQ(cfg.max_batch_delay, std::chrono::milliseconds(2));
  EXPECT_EQ(cfg.max_queue, 256u);
  EXPECT_EQ(cfg.cache_bytes, 0u);
  EXPECT_EQ(cfg.cache_ttl, std::chrono::seconds(300));
  EXPECT_EQ(cfg.breaker_failures, 5u);
  EXPECT_EQ(cfg.breaker_cooldown, std::chrono::seconds(30));
  EXPECT_EQ(cfg.request_timeout, std::chrono::seconds(600));
  EXPECT_EQ(cfg.shutdown_grace, std::chrono::seconds(10));
  EXPECT_EQ(cfg.threads, 0u);
  EXPECT_EQ(cfg.demo_models_dir, fs::path("./models"));
  EXPECT_TRUE(cfg.config_file.empty());
}

TEST(Config, FlagBeatsEnvBeatsFileBeatsDefault) {
  temp_dir dir;
  const auto file =
      dir.write("hfserve.toml", "port = 7000\nmax_queue = 11\nhost = \"file-host\"\n");
  const env_map env{{"HF_SERVER_CONFIG", file.string()},
                    {"HF_SERVER_PORT", "7100"},
                    {"HF_SERVER_MAX_QUEUE", "12"}};
  auto cfg = load_config(parse_flags({"--port", "7200"}), env);
  EXPECT_EQ(cfg.port, 7200);          // flag
  EXPECT_EQ(cfg.max_queue, 12u);      // env over file
  EXPECT_EQ(cfg.host, "file-host");   // file over default
  EXPECT_EQ(cfg.max_batch_size, 16u);  // default
  EXPECT_EQ(cfg.config_file, file);
  cfg = load_config({}, env);
  EXPECT_EQ(cfg.port, 7100);
  cfg = load_config({}, {{"HF_SERVER_CONFIG", file.string()}});
  EXPECT_EQ(cfg.port, 7000);
}

TEST(Config, ServingUnderLoadFlags) {
  const auto cfg = load_config(
      parse_flags({"--max-batch-tokens", "64", "--max-total-tokens", "4096", "--max-batch-delay",
                   "5ms", "--cache-bytes", "1MiB", "--cache-ttl", "10", "--breaker-failures", "0",
                   "--breaker-window", "2m", "--breaker-cooldown", "1.5", "--breaker-probes", "3"}),
      {});
  EXPECT_EQ(cfg.max_batch_tokens, 64u);
  EXPECT_EQ(cfg.max_total_tokens, 4096u);
  EXPECT_EQ(cfg.max_batch_delay, std::chrono::milliseconds(5));
  EXPECT_EQ(cfg.cache_bytes, 1024u * 1024u);
  EXPECT_EQ(cfg.cache_ttl, std::chrono::seconds(10));
  EXPECT_EQ(cfg.breaker_failures, 0u);
  EXPECT_EQ(cfg.breaker_window, std::chrono::minutes(2));
  EXPECT_EQ(cfg.breaker_cooldown, std::chrono::milliseconds(1500));
  EXPECT_EQ(cfg.breaker_probes, 3u);
  EXPECT_THROW(load_config(parse_flags({"--breaker-probes", "0"}), {}), config_error);
}

TEST(Config, ConfigFlagBeatsConfigEnv) {
  temp_dir dir;
  const auto a = dir.write("a.toml", "port = 1\n");
  const auto b = dir.write("b.toml", "port = 2\n");
  const auto cfg =
      load_config(parse_flags({"--config", b.string()}), {{"HF_SERVER_CONFIG", a.string()}});
  EXPECT_EQ(cfg.port, 2);
}

TEST(Config, EmptyEnvironmentVariableCountsAsUnset) {
  EXPECT_EQ(load_config({}, {{"HF_SERVER_PORT", ""}}).port, 8000);
}

TEST(Config, ErrorsNameTheirSource) {
  EXPECT_EQ(error_of({}, {{"HF_SERVER_PORT", "abc"}}),
            "HF_SERVER_PORT: 'abc' is not a port (0-65535)");
  EXPECT_EQ(error_of(parse_flags({"--port", "70000"}), {}),
            "--port: '70000' is not a port (0-65535)");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_ENABLE_BATCHING", "maybe"}}),
            "HF_SERVER_ENABLE_BATCHING: 'maybe' is not a boolean (use true or false)");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_LOG_LEVEL", "loud"}}),
            "HF_SERVER_LOG_LEVEL: 'loud' is not a log level (trace, debug, info, warn, error)");
  EXPECT_EQ(error_of({}, {{"HFSERVE_BACKEND", "kqueue"}}),
            "HFSERVE_BACKEND: 'kqueue' is not an I/O backend (auto, epoll, io_uring)");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_MAX_BATCH_SIZE", "0"}}),
            "HF_SERVER_MAX_BATCH_SIZE: '0' is too small (at least 1)");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_MAX_QUEUE", "-5"}}),
            "HF_SERVER_MAX_QUEUE: '-5' is not a whole number");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_REQUEST_TIMEOUT", "soon"}}),
            "HF_SERVER_REQUEST_TIMEOUT: 'soon' is not a duration (seconds, or a number with ms, s, "
            "m or h)");
  EXPECT_EQ(
      error_of({}, {{"HF_SERVER_MAX_MODEL_MEMORY", "8XB"}}),
      "HF_SERVER_MAX_MODEL_MEMORY: '8XB' is not a byte size: unknown unit 'XB' (use B, KB, MB, GB, "
      "TB, KiB, MiB, GiB, TiB)");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_CONFIG", "/nonexistent/hfserve.toml"}}),
            "config file /nonexistent/hfserve.toml: not found or not a regular file");
}

TEST(Config, ByteSizes) {
  const auto mem = [](const std::string& text) {
    return load_config({}, {{"HF_SERVER_MAX_MODEL_MEMORY", text}}).max_model_memory;
  };
  EXPECT_EQ(mem("8GiB"), 8ull << 30);
  EXPECT_EQ(mem("500MB"), 500'000'000ull);
  EXPECT_EQ(mem("1048576"), 1048576ull);
  EXPECT_EQ(mem("64 KiB"), 65536ull);
  EXPECT_EQ(mem("2gi"), 2ull << 30);
  EXPECT_EQ(mem("3G"), 3'000'000'000ull);
  EXPECT_EQ(mem("1.5KiB"), 1536ull);
  EXPECT_EQ(mem("2TB"), 2'000'000'000'000ull);
  EXPECT_EQ(mem("unlimited"), 0ull);
  EXPECT_NE(error_of({}, {{"HF_SERVER_MAX_MODEL_MEMORY", "99999999999TiB"}}).find("too large"),
            std::string::npos);
  EXPECT_NE(error_of({}, {{"HF_SERVER_MAX_BODY_BYTES", "-1MB"}}).find("is not a byte size"),
            std::string::npos);
  EXPECT_NE(error_of({}, {{"HF_SERVER_MAX_BODY_BYTES", "1.MB"}}).find("is not a byte size"),
            std::string::npos);
}

TEST(Config, Durations) {
  const auto t = [](const std::string& text) {
    return load_config({}, {{"HF_SERVER_LOAD_TIMEOUT", text}}).load_timeout;
  };
  EXPECT_EQ(t("30"), std::chrono::seconds(30));
  EXPECT_EQ(t("1.5"), std::chrono::milliseconds(1500));
  EXPECT_EQ(t("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(t("2m"), std::chrono::minutes(2));
  EXPECT_EQ(t("1h"), std::chrono::hours(1));
}

TEST(Config, ListsFromEachSource) {
  const env_map env{{"HF_SERVER_MODEL_DIRS", "/a:/b"},
                    {"HF_SERVER_PRELOAD", "org/x, org/y"},
                    {"HF_SERVER_CORS_ORIGINS", "https://a.example,https://b.example"}};
  auto cfg = load_config({}, env);
  EXPECT_EQ(cfg.model_dirs, (std::vector<fs::path>{"/a", "/b"}));
  EXPECT_EQ(cfg.preload, (std::vector<std::string>{"org/x", "org/y"}));
  EXPECT_EQ(cfg.cors_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
  // Flags replace the environment's lists; --model-dir repeats, --preload takes several or a,b.
  cfg = load_config(
      parse_flags({"--model-dir", "/c", "--model-dir", "/d:e", "--preload", "p1", "p2,p3"}), env);
  EXPECT_EQ(cfg.model_dirs, (std::vector<fs::path>{"/c", "/d:e"}));
  EXPECT_EQ(cfg.preload, (std::vector<std::string>{"p1", "p2", "p3"}));
}

TEST(Config, BooleanFlags) {
  EXPECT_FALSE(load_config(parse_flags({"--no-enable-batching"}), {}).enable_batching);
  EXPECT_FALSE(
      load_config(parse_flags({"--no-enable-batching"}), {{"HF_SERVER_ENABLE_BATCHING", "true"}})
          .enable_batching);
  EXPECT_TRUE(
      load_config(parse_flags({"--enable-batching"}), {{"HF_SERVER_ENABLE_BATCHING", "off"}})
          .enable_batching);
  EXPECT_TRUE(load_config(parse_flags({"--cors-credentials"}), {}).cors_credentials);
  EXPECT_FALSE(load_config({}, {{"HF_SERVER_ENABLE_BATCHING", "0"}}).enable_batching);
}

TEST(Config, TomlFileWithEveryKindOfValue) {
  temp_dir dir;
  const auto file = dir.write("c.toml", R"(# hfserve settings
host = "127.0.0.1"
port = 9000
log_level = "debug"
log_format = "json"
backend = "epoll"
model_dirs = ["/models/a", "~/models/b"]
preload = "x,y"
max_model_memory = "8GiB"
max_body_bytes = 1048576
enable_batching = false
request_timeout = 1.5
cors_origins = ["*"]
threads = 4
)");
  const auto cfg = load_config({}, {{"HF_SERVER_CONFIG", file.string()}, {"HOME", "/home/u"}});
  EXPECT_EQ(cfg.host, "127.0.0.1");
  EXPECT_EQ(cfg.port, 9000);
  EXPECT_EQ(cfg.log_level, obs::log_level::debug);
  EXPECT_EQ(cfg.log_format, obs::log_format::json);
  EXPECT_EQ(cfg.backend, io_backend::epoll);
  EXPECT_EQ(cfg.model_dirs, (std::vector<fs::path>{"/models/a", "/home/u/models/b"}));
  EXPECT_EQ(cfg.preload, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(cfg.max_model_memory, 8ull << 30);
  EXPECT_EQ(cfg.max_body_bytes, 1048576u);
  EXPECT_FALSE(cfg.enable_batching);
  EXPECT_EQ(cfg.request_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(cfg.cors_origins, (std::vector<std::string>{"*"}));
  EXPECT_EQ(cfg.threads, 4u);
}

TEST(Config, TomlErrorsNameFileLineAndKey) {
  temp_dir dir;
  const auto typo = dir.write("typo.toml", "port = 1\nprot = 2\n");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_CONFIG", typo.string()}}),
            typo.string() + ":2: prot: unknown setting (see `hfserve serve --help`)");
  const auto bad = dir.write("bad.toml", "\n\nport = \"http\"\n");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_CONFIG", bad.string()}}),
            bad.string() + ":3: port: 'http' is not a port (0-65535)");
  const auto arr = dir.write("arr.toml", "port = [1, 2]\n");
  EXPECT_EQ(error_of({}, {{"HF_SERVER_CONFIG", arr.string()}}),
            arr.string() + ":1: port: expected a single value, not an array");
  const auto syntax = dir.write("syntax.toml", "port = = 3\n");
  const std::string msg = error_of({}, {{"HF_SERVER_CONFIG", syntax.string()}});
  EXPECT_EQ(msg.rfind("config file " + syntax.string() + ":1: ", 0), 0u) << msg;
}

TEST(Config, HuggingFaceCacheFolders) {
  EXPECT_EQ(load_config({}, {{"HF_HOME", "/hf"}}).hub_cache, fs::path("/hf/hub"));
  EXPECT_EQ(load_config({}, {{"HF_HOME", "/hf"}, {"HF_HUB_CACHE", "/cache"}}).hub_cache,
            fs::path("/cache"));
  EXPECT_EQ(load_config({}, {{"XDG_CACHE_HOME", "/xdg"}}).hub_cache,
            fs::path("/xdg/huggingface/hub"));
  EXPECT_EQ(load_config({}, {{"HUGGINGFACE_HUB_CACHE", "/old"}}).hub_cache, fs::path("/old"));
  EXPECT_EQ(load_config(parse_flags({"--hf-home", "/flag"}), {{"HF_HOME", "/env"}}).hub_cache,
            fs::path("/flag/hub"));
}

TEST(Config, HelpDocumentsEveryFieldWithEnvAndDefault) {
  CLI::App app;
  config_sources src;
  add_serve_flags(app, src);
  const std::string help = app.help();
  for (const auto& f : config_fields()) {
    EXPECT_NE(help.find(std::string(f.flag)), std::string::npos) << f.flag;
    EXPECT_NE(help.find("[env " + std::string(f.env) + "]"), std::string::npos) << f.env;
  }
  EXPECT_NE(help.find("[env HF_SERVER_PORT] [default: 8000]"), std::string::npos) << help;
  EXPECT_NE(help.find("[default: 16MiB]"), std::string::npos);
  EXPECT_NE(help.find("--no-enable-batching"), std::string::npos);
  EXPECT_NE(help.find("HF_SERVER_CONFIG"), std::string::npos);
}

TEST(Config, DescribeListsEveryFieldOnce) {
  const auto d = describe_config(load_config({}, {{"HF_SERVER_MAX_MODEL_MEMORY", "500MB"}}));
  EXPECT_EQ(d.size(), config_fields().size());
  EXPECT_EQ(std::count(d.begin(), d.end(),
                       std::pair<std::string, std::string>{"max_model_memory", "500MB"}),
            1);
  EXPECT_EQ(std::count(d.begin(), d.end(), std::pair<std::string, std::string>{"threads", "auto"}),
            1);
}

TEST(Config, EveryFieldHasAFlagAnEnvVarAndADefault) {
  std::set<std::string_view> flags, envs;
  for (const auto& f : config_fields()) {
    EXPECT_TRUE(f.flag.starts_with("--")) << f.name;
    EXPECT_FALSE(f.env.empty()) << f.name;
    EXPECT_TRUE(flags.insert(f.flag).second) << f.flag;
    EXPECT_TRUE(envs.insert(f.env).second) << f.env;
    EXPECT_FALSE(f.help.empty()) << f.name;
  }
}

}  // namespace
}  // namespace hf::app
