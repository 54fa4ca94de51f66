// One model's slot in the model cache: its load state, the loaded model and its worker
// (scheduler or batcher). Shared by the cache, leases and the worker task, so it lives as long as
// any of them needs it.
#pragma once
#include <atomic>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/weights/dtype_request.hpp"
#include "runtime/clock.hpp"
#include "runtime/sync/event.hpp"
#include "runtime/task_handle.hpp"
#include "serving/embedding/batcher.hpp"
#include "serving/generation/scheduler.hpp"
#include "serving/loaded_model.hpp"

namespace hf::serving {

struct cache_entry {
  enum class state { loading, ready, failed, unloaded };
  std::string id;
  std::filesystem::path dir;
  engine::dtype_request dtype;  // the weight type it is loaded with
  state st = state::loading;
  std::shared_ptr<const loaded_model> model;
  std::unique_ptr<generation_scheduler> generator;
  std::unique_ptr<encoder_batcher> batcher;
  rt::task_handle<void> worker;  // runs the scheduler or batcher
  rt::event loaded;              // set when the load ends, successfully or not
  std::exception_ptr error;
  int in_flight = 0;
  rt::time_point last_used{};
  std::uint64_t use_order = 0;   // LRU: higher = more recent
  std::uint64_t load_serial = 0;  // unique per load in this process: a reload gets a new one
  // Weight bytes mapped or converted so far while loading (written by the loading thread).
  std::atomic<std::uint64_t> load_done{0};
  std::atomic<std::uint64_t> load_total{0};
};

}  // namespace hf::serving
