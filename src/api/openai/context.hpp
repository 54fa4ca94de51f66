// What the OpenAI routes need from the rest of the server, gathered by the app (composition root)
// so that this layer depends on interfaces, not on how they are built.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/openai/auth_check.hpp"
#include "api/openai/request_record.hpp"
#include "runtime/clock.hpp"
#include "serving/cache/model_cache.hpp"
#include "serving/response_cache/response_cache.hpp"

namespace hf::api {

// A model the server can serve (discovered in the HF cache or a model folder).
struct available_model {
  std::string id;
  std::filesystem::path dir;
  std::string architecture;
  std::string task;  // "text-generation" | "embeddings" | "classification" | "unknown"
  std::uint64_t parameters = 0;
  std::string dtype;
  std::uint64_t size_bytes = 0;
  std::int64_t created = 0;  // unix seconds (folder mtime)
  bool supported = true;
};

enum class server_state { starting, ready, draining };

struct api_context {
  serving::model_cache* cache = nullptr;
  serving::response_cache* responses = nullptr;  // answers to deterministic requests (may be off)
  std::function<std::vector<available_model>()> available;  // current catalogue
  // Registers a folder given to /models/load by path (already checked to be under a root).
  std::function<void(const available_model&)> add_model;
  std::vector<std::filesystem::path> model_roots;  // /models/load by path: only under these
  std::function<nlohmann::json()> hardware;        // for /status and /models
  std::function<server_state()> state;
  auth_settings auth;                    // API keys (off: every route open)
  std::function<std::string()> metrics;  // GET /metrics: Prometheus text
  // Called once per answered request (any status), on the event-loop thread; must not throw.
  std::function<void(const request_record&)> on_request;
  std::string backend;                                       // I/O backend in use
  rt::duration request_timeout = std::chrono::seconds(600);  // queue wait bound per request
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::int64_t started_unix = 0;
};

}  // namespace hf::api
