// BERT-base embeddings throughput (random weights made on the fly): batch of 32 sequences of 128
// tokens, mean pooling, against the sgemm peak measured in the same run, in f32 and bf16 weights
// (bf16 also as a speedup over f32 measured in this same run).
// Prints one JSON object per line. Usage: bench_engine_bert [--dtype f32,bf16]
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "engine/models/registry.hpp"
#include "synth/make_model.hpp"
#include "engine/roofline.hpp"

namespace {

using namespace hf::engine;

double embeddings_per_s(const std::filesystem::path& dir, const dtype_request& dtype) {
  auto enc = load_encoder(dir, dtype);
  constexpr size_t batch = 32, seq = 128, hidden = 768, layers = 12, inter = 3072;
  std::mt19937_64 rng(5);
  std::vector<std::vector<int32_t>> ids(batch, std::vector<int32_t>(seq));
  std::vector<encoder_input> inputs;
  for (auto& row : ids) {
    for (auto& id : row) id = static_cast<int32_t>(rng() % enc->vocab_size());
    inputs.push_back({row});
  }
  double peak = bench::measure_sgemm_peak();
  double best = 1e30;
  for (int rep = 0; rep < 4; ++rep) {
    const double t0 = bench::now_s();
    auto out = enc->embed(inputs, {.mode = pooling::mean, .normalize = true});
    best = std::min(best, bench::now_s() - t0);
  }
  peak = std::max(peak, bench::measure_sgemm_peak());
  // Projections (2 FLOPs per weight per token) + full attention (QK and PV) per sequence.
  const double tokens = batch * seq;
  const double flops = layers * (2.0 * (4.0 * hidden * hidden + 2.0 * hidden * inter) * tokens +
                                 4.0 * hidden * seq * seq * batch);
  const double gflops = flops / best / 1e9;
  const bool f32 = enc->dtype() == weight_type::f32;
  std::printf(
      "{\"bench\":\"engine_bert\",\"model\":\"bert-base\",\"dtype\":\"%s\",\"metric\":\"embeddings_"
      "per_s\","
      "\"batch\":%zu,\"seq_len\":%zu,\"value\":%.1f,\"gflops\":%.1f,\"sgemm_peak_gflops\":%.1f,"
      "\"vs_sgemm_peak\":%.3f%s}\n",
      dtype.name().c_str(), batch, seq, batch / best, gflops, peak, gflops / peak,
      f32 ? ",\"target\":0.70" : "");
  std::fflush(stdout);
  return batch / best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dtypes = "f32,bf16";
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--dtype") dtypes = argv[++i];
  const auto m = bench::measure_machine();
  bench::print_machine("engine_bert", m);
  const auto dir =
      std::filesystem::temp_directory_path() / ("hf_bench_bert_" + std::to_string(::getpid()));
  make_model(dir, {.arch = "bert", .preset = "bert-base", .seed = 1});
  double f32_rate = 0;
  for (const auto& name : bench::split_list(dtypes)) {
    const auto dtype = dtype_request::parse(name);
    if (!dtype) {
      std::fprintf(stderr, "unknown dtype %s\n", name.c_str());
      return 2;
    }
    const double r = embeddings_per_s(dir, *dtype);
    if (name == "f32") f32_rate = r;
    if (name != "f32" && f32_rate > 0)
      bench::print_speedup("engine_bert", "bert-base", name, "embeddings, batch 32 x 128 tokens",
                           r / f32_rate, name == "bf16" ? 2.0 : 0.0);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
