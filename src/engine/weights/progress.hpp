// Progress of long weight work (loading a model folder, writing a random-weight model), for
// whoever shows it: a terminal line, log lines, /status. The work reports bytes done and the total
// to the sink installed on its thread; without one it reports nowhere. A thread-local sink, so
// that the loader's signatures stay as they are and concurrent loads on other threads never mix.
//   weight_progress_scope scope([&](std::uint64_t done, std::uint64_t total) { ... });
//   auto m = load_model(dir);   // calls the sink as tensors are mapped or converted
#pragma once
#include <cstdint>
#include <functional>

namespace hf::engine {

using weight_progress_sink = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Installs `sink` for this thread while alive (the previous one comes back after).
class weight_progress_scope {
 public:
  explicit weight_progress_scope(weight_progress_sink sink);
  ~weight_progress_scope();
  weight_progress_scope(const weight_progress_scope&) = delete;
  weight_progress_scope& operator=(const weight_progress_scope&) = delete;

 private:
  weight_progress_sink previous_;
};

// For the weight code: a new job of `total` bytes starts, then `bytes` more of it are done.
void progress_start(std::uint64_t total);
void progress_advance(std::uint64_t bytes);

}  // namespace hf::engine
