#include "synth/make_model.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/errors.hpp"
#include "engine/tokenizer/tokenizer.hpp"
#include "engine/weights/safetensors_writer.hpp"
#include "synth/model_tensors.hpp"
#include "synth/presets.hpp"
#include "synth/synthesize_tokenizer.hpp"

namespace hf::engine {
namespace {

constexpr size_t k_min_vocab = 300;

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t name_hash(const std::string& s) {  // FNV-1a: each tensor's stream depends only on its name
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// Uniform noise with the requested standard deviation: fast enough for 0.5B parameters, and
// random weights need no Gaussian tails.
void fill_tensor(const synth::tensor_spec& spec, uint64_t seed, std::span<float> out) {
  uint64_t state = seed ^ name_hash(spec.name);
  const float half_width = spec.scale * std::sqrt(3.0f);
  const float offset = spec.init == synth::init_kind::around_one ? 1.0f : 0.0f;
  for (auto& v : out) {
    const float u = static_cast<float>(splitmix64(state) >> 40) * 0x1.0p-24f;  // [0, 1)
    v = offset + (2.0f * u - 1.0f) * half_width;
  }
}

tokenizer_kind tokenizer_for(const std::string& arch) {
  if (arch == "gpt2") return tokenizer_kind::byte_level_bpe;
  if (arch == "bert") return tokenizer_kind::wordpiece;
  return tokenizer_kind::llama_bpe;
}

void write_json(const std::filesystem::path& path, const nlohmann::json& j) {
  std::ofstream out(path);
  out << j.dump(2) << "\n";
  if (!out) throw model_error("cannot write " + path.string());
}

void set_if_absent(nlohmann::json& j, const char* key, const std::optional<int32_t>& v) {
  if (v && !j.contains(key)) j[key] = *v;
}

}  // namespace

std::vector<std::string> make_model_presets(const std::string& arch) { return synth::preset_names(arch); }

size_t make_model(const std::filesystem::path& out, const make_model_options& o) {
  nlohmann::json config = synth::preset_config(o.arch, o.preset);
  if (!o.overrides.empty()) {
    nlohmann::json patch;
    try {
      patch = nlohmann::json::parse(o.overrides);
    } catch (const nlohmann::json::exception& e) {
      throw input_error(std::string("make-model: --config is not valid JSON: ") + e.what());
    }
    if (!patch.is_object()) throw input_error("make-model: --config must be a JSON object of config.json fields");
    config.merge_patch(patch);
  }
  const json_config cfg = json_config::from_json(config, "make-model config");
  const size_t vocab = cfg.get_size("vocab_size");
  if (vocab < k_min_vocab)
    throw input_error("make-model: vocab_size must be at least " + std::to_string(k_min_vocab) +
                      " (the synthetic tokenizer's base tokens)");
  const auto specs = synth::model_tensors(cfg);  // validates the shape fields before writing anything

  std::filesystem::create_directories(out);
  write_synthetic_tokenizer(out, tokenizer_for(o.arch), vocab);
  const tokenizer tok = tokenizer::from_folder(out);
  set_if_absent(config, "bos_token_id", tok.bos_id());
  set_if_absent(config, "eos_token_id", tok.eos_id());
  if (o.arch == "bert") set_if_absent(config, "pad_token_id", tok.pad_id());
  write_json(out / "config.json", config);
  if (o.arch != "bert") {
    nlohmann::json gen = {{"_from_model_config", true}};
    if (config.contains("bos_token_id")) gen["bos_token_id"] = config["bos_token_id"];
    if (config.contains("eos_token_id")) gen["eos_token_id"] = config["eos_token_id"];
    write_json(out / "generation_config.json", gen);
  }

  std::vector<tensor_to_write> tensors;
  size_t params = 0;
  for (const auto& spec : specs) {
    params += shape_elements(spec.shape);
    tensors.push_back({spec.name, o.weight_dtype, spec.shape,
                       [spec, seed = o.seed](std::span<float> v) { fill_tensor(spec, seed, v); }});
  }
  write_safetensors(out / "model.safetensors", std::move(tensors));
  return params;
}

}  // namespace hf::engine
