// `hfserve bench`: a load generator for a running OpenAI-compatible server (like
// `vllm bench serve`): for each concurrency level, `requests` completions with a prompt of exactly
// `prompt_tokens` tokens (the server's /tokenize of a fixed passage, cut to length) and
// `max_tokens` generated tokens each (ignore_eos), sent by that many concurrent clients on
// keep-alive connections; the level's aggregate output tokens/s, TTFT, TPOT and latency
// percentiles (nearest rank), and errors by status. Runs its own rt::run; blocking.
//   bench_options o{.port = 8000, .model = "gpt2", .levels = {1, 4, 16}};
//   for (const level_result& r : run_bench(o, print_row)) ...
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hf::app {

struct bench_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8000;
  std::string model;
  std::vector<std::size_t> levels = {1, 4, 16};
  std::size_t requests = 64;  // per level
  std::size_t prompt_tokens = 128;
  std::size_t max_tokens = 64;
  double temperature = 0.0;
  bool stream = false;
  std::string api_key;
  std::chrono::milliseconds timeout{std::chrono::seconds(120)};  // per request
};

struct latency_stats {  // milliseconds; empty when nothing was measured
  std::optional<double> p50, p90, p99;
};

struct level_result {
  std::size_t clients = 0;
  std::size_t requests = 0;
  std::size_t ok = 0;
  std::map<std::string, std::size_t> errors;  // "503", "timeout", "conn_error", "stream:<code>"
  double wall_s = 0;
  std::size_t output_tokens = 0;
  double output_tokens_per_s = 0;
  double requests_per_s = 0;
  latency_stats ttft;     // streaming only: to the first text
  latency_stats tpot;     // streaming only: (latency - ttft) / (tokens - 1)
  latency_stats latency;  // to the whole answer
};

// The nearest-rank percentile p (0-100] of `values` (sorted here); nullopt when empty.
std::optional<double> nearest_rank(std::vector<double> values, double p);

// Throws std::runtime_error when the server cannot be reached or cannot tokenize the prompt.
std::vector<level_result> run_bench(const bench_options& o,
                                    const std::function<void(const level_result&)>& on_level);

}  // namespace hf::app
