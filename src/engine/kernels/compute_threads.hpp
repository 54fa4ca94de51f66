// How many threads one engine call may use for its data-parallel kernels (projections, attention,
// norms). Set once at start-up by whoever embeds the engine (hfserve's --threads); 0 means one per
// CPU core (or OMP_NUM_THREADS when set). Without OpenMP the engine is single-threaded and this
// only records the value.
// Usage: hf::engine::set_compute_threads(cfg.threads);
#pragma once
#include <cstddef>

namespace hf::engine {

void set_compute_threads(std::size_t n) noexcept;
// The number in effect for the next engine call (never 0).
std::size_t compute_threads() noexcept;

}  // namespace hf::engine
