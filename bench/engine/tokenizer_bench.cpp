// Tokenizer throughput: encode (ids only), encode_full (tokens + offsets) and decode speed of the
// GPT-2, Llama and BERT fixture tokenizers on a few MB of mixed text built from the fixture case
// texts (prose, code, numbers, CJK, emoji...). Prints one JSON line per tokenizer.
//   ./build/bench/bench_tokenizer_bench [--fixtures DIR] [--mb 4] [--repeat 5]
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/tokenizer/tokenizer.hpp"

namespace {

namespace fs = std::filesystem;
using clock_type = std::chrono::steady_clock;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

fs::path find_fixtures(const std::string& arg) {
  std::vector<fs::path> candidates;
  if (!arg.empty()) candidates.emplace_back(arg);
  if (const char* env = std::getenv("HFSERVE_FIXTURES_DIR")) candidates.emplace_back(env);
  for (const char* rel :
       {"../shared/fixtures", "../../shared/fixtures", "../../../shared/fixtures"}) {
    candidates.emplace_back(rel);
  }
  for (const auto& c : candidates) {
    if (fs::exists(c / "tokenizers" / "gpt2" / "tokenizer.json")) return c;
  }
  return {};
}

std::string mixed_text(const fs::path& fixtures, size_t bytes) {
  std::string all;
  for (const char* name : {"gpt2", "bert-base-uncased", "llama-chat"}) {
    auto cases = nlohmann::json::parse(read_text(fixtures / "tokenizers" / name / "cases.json"));
    for (const auto& c : cases["cases"]) {
      all += c["text"].get<std::string>();
      all += '\n';
    }
  }
  std::string out;
  out.reserve(bytes + all.size());
  while (out.size() < bytes) out += all;
  return out;
}

template <class F>
double best_seconds(int repeat, F&& f) {
  double best = 1e30;
  for (int i = 0; i < repeat; ++i) {
    auto t0 = clock_type::now();
    f();
    best = std::min(best, std::chrono::duration<double>(clock_type::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::string fixtures_arg;
  double mb = 4;
  int repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--fixtures") fixtures_arg = argv[i + 1];
    if (a == "--mb") mb = std::stod(argv[i + 1]);
    if (a == "--repeat") repeat = std::stoi(argv[i + 1]);
  }
  fs::path fixtures = find_fixtures(fixtures_arg);
  if (fixtures.empty()) {
    std::cerr << "tokenizer_bench: fixtures not found (pass --fixtures DIR or set "
                 "HFSERVE_FIXTURES_DIR)\n";
    return 1;
  }
  std::string text = mixed_text(fixtures, static_cast<size_t>(mb * 1024 * 1024));
  const double text_mb = static_cast<double>(text.size()) / (1024.0 * 1024.0);
  for (const char* name : {"gpt2", "llama-chat", "bert-base-uncased"}) {
    auto t0 = clock_type::now();
    auto tok = hf::engine::tokenizer::from_folder(fixtures / "tokenizers" / name);
    double load_s = std::chrono::duration<double>(clock_type::now() - t0).count();

    // The first encode also fills the BPE word cache; the best of the later runs is reported,
    // and the first (cold) one separately.
    std::vector<int32_t> ids;
    double cold_s = best_seconds(1, [&] { ids = tok.encode(text, false); });
    double encode_s = best_seconds(repeat, [&] { ids = tok.encode(text, false); });
    double full_s = best_seconds(std::max(1, repeat / 2),
                                 [&] { (void)tok.encode_full(text, std::nullopt, false); });
    std::string decoded;
    double decode_s = best_seconds(repeat, [&] { decoded = tok.decode(ids, false); });
    size_t streamed = 0;
    double stream_s = best_seconds(1, [&] {
      hf::engine::incremental_decoder dec(tok, false);
      for (int32_t id : ids) streamed += dec.push(id).size();
      streamed += dec.flush().size();
    });

    nlohmann::json line{
        {"bench", "tokenizer"},
        {"tokenizer", name},
        {"text_mb", text_mb},
        {"tokens", ids.size()},
        {"load_s", load_s},
        {"encode_mb_per_s", text_mb / encode_s},
        {"encode_cold_mb_per_s", text_mb / cold_s},
        {"encode_tokens_per_s", static_cast<double>(ids.size()) / encode_s},
        {"encode_full_mb_per_s", text_mb / full_s},
        {"decode_mb_per_s", static_cast<double>(decoded.size()) / (1024.0 * 1024.0) / decode_s},
        {"stream_decode_tokens_per_s", static_cast<double>(ids.size()) / stream_s}};
    std::cout << line.dump() << std::endl;
  }
  return 0;
}
