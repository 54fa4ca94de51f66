#include "engine/models/registry.hpp"

#include "engine/errors.hpp"
#include "engine/models/architectures.hpp"

namespace hf::engine {
namespace {

struct architecture_entry {
  const char* name;
  std::unique_ptr<model> (*load)(const model_source&);
};

// Every supported config.json "architectures" value and its loader.
constexpr architecture_entry k_architectures[] = {
    {"GPT2LMHeadModel", &load_gpt2},
    {"LlamaForCausalLM", &load_llama},
    {"MistralForCausalLM", &load_llama},
    {"Qwen2ForCausalLM", &load_llama},
    {"BertModel", &load_bert},
    {"BertForSequenceClassification", &load_bert},
    {"RobertaModel", &load_bert},
    {"RobertaForSequenceClassification", &load_bert},
    {"XLMRobertaModel", &load_bert},
    {"XLMRobertaForSequenceClassification", &load_bert},
};

std::string supported_list() {
  std::string s;
  for (const auto& a : k_architectures) s += (s.empty() ? "" : ", ") + std::string(a.name);
  return s;
}

}  // namespace

std::vector<std::string> supported_architectures() {
  std::vector<std::string> out;
  for (const auto& a : k_architectures) out.emplace_back(a.name);
  return out;
}

std::string detect_prefix(const weight_store& ws, std::initializer_list<const char*> prefixes,
                          const std::string& probe) {
  for (const char* p : prefixes)
    if (ws.contains(p + probe)) return p;
  return *prefixes.begin();
}

std::unique_ptr<model> load_model(const std::filesystem::path& dir, const dtype_request& dtype) {
  const auto config_path = dir / "config.json";
  if (!std::filesystem::exists(config_path))
    throw model_error("model folder " + dir.string() + " has no config.json");
  json_config config = json_config::load(config_path);
  const auto archs = config.get_string_list("architectures");
  if (archs.empty()) throw model_error(config.source() + ": \"architectures\" is missing or empty");
  for (const auto& a : k_architectures) {
    if (archs.front() != a.name) continue;
    model_source src{dir, archs.front(), std::move(config), weight_store::open(dir), dtype};
    return a.load(src);
  }
  throw model_error(config.source() + ": architecture \"" + archs.front() +
                    "\" is not supported (supported: " + supported_list() + ")");
}

std::unique_ptr<causal_lm> load_causal_lm(const std::filesystem::path& dir,
                                          const dtype_request& dtype) {
  auto m = load_model(dir, dtype);
  if (auto* lm = dynamic_cast<causal_lm*>(m.get())) {
    m.release();
    return std::unique_ptr<causal_lm>(lm);
  }
  throw model_error("model " + dir.string() + " (" + m->architecture() + ") is not a causal language model");
}

std::unique_ptr<encoder_model> load_encoder(const std::filesystem::path& dir,
                                            const dtype_request& dtype) {
  auto m = load_model(dir, dtype);
  if (auto* e = dynamic_cast<encoder_model*>(m.get())) {
    m.release();
    return std::unique_ptr<encoder_model>(e);
  }
  throw model_error("model " + dir.string() + " (" + m->architecture() + ") is not an encoder model");
}

}  // namespace hf::engine
