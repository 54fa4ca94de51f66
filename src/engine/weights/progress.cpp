#include "engine/weights/progress.hpp"

#include <algorithm>
#include <utility>

namespace hf::engine {
namespace {
struct progress_state {
  weight_progress_sink sink;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
};
thread_local progress_state t_progress;
}  // namespace

weight_progress_scope::weight_progress_scope(weight_progress_sink sink)
    : previous_(std::exchange(t_progress.sink, std::move(sink))) {}

weight_progress_scope::~weight_progress_scope() {
  t_progress.sink = std::move(previous_);
}

void progress_start(std::uint64_t total) {
  t_progress.done = 0;
  t_progress.total = total;
  if (t_progress.sink) t_progress.sink(0, total);
}

void progress_advance(std::uint64_t bytes) {
  // Tied or re-read tensors may count twice: never past the total.
  t_progress.done = std::min(t_progress.total, t_progress.done + bytes);
  if (t_progress.sink) t_progress.sink(t_progress.done, t_progress.total);
}

}  // namespace hf::engine
