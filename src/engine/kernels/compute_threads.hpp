// How many threads one engine call may use for its data-parallel kernels (projections, attention,
// norms). Set once at start-up by whoever embeds the engine (hfserve's --threads); 0 means one per
// CPU core (or OMP_NUM_THREADS when set). Without OpenMP the engine is single-threaded and this
// only records the value.
// Usage: hf::engine::set_compute_threads(cfg.threads);
#pragma once
#include <cstddef>
#include <functional>

namespace hf::engine {

void set_compute_threads(std::size_t n) noexcept;
// The number in effect for the next engine call (never 0).
std::size_t compute_threads() noexcept;

// Runs fn(i) for every i in [0, n) on the compute threads (statically assigned, so which thread
// runs an item never changes a result), for per-item work between kernels such as sampling each
// sequence of a batch. Items must not share mutable state. The first exception an item throws is
// rethrown here once every item has run.
void for_each_item(std::size_t n, const std::function<void(std::size_t)>& fn);

}  // namespace hf::engine
