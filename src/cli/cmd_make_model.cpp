// `hfserve make-model`: writes a random-weight model in HF format (config.json, model.safetensors,
// generation_config.json for causal LMs, synthetic tokenizer files), for tests and benchmarks.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "engine/errors.hpp"
#include "synth/make_model.hpp"

namespace hf::cli {
namespace {

struct make_model_args {
  std::string arch;
  std::string config;
  std::string preset = "tiny";
  std::string out;
  std::string dtype = "f32";
  uint64_t seed = 0;
  bool json = false;
};

void run(const make_model_args& a) {
  engine::make_model_options o;
  o.arch = a.arch;
  o.preset = a.preset;
  o.seed = a.seed;
  // --config is either a preset name or a JSON object of config.json fields over --preset.
  if (!a.config.empty() && a.config.front() == '{')
    o.overrides = a.config;
  else if (!a.config.empty())
    o.preset = a.config;
  o.weight_dtype = a.dtype == "bf16" ? engine::dtype::bf16 : a.dtype == "f16" ? engine::dtype::f16 : engine::dtype::f32;
  size_t params = 0;
  {
    progress_line show("writing " + a.out);
    params = engine::make_model(a.out, o);
  }
  if (a.json) {
    std::cout << nlohmann::ordered_json{{"out", a.out}, {"arch", o.arch}, {"preset", o.preset}, {"parameters", params}}.dump()
              << "\n";
  } else {
    std::cout << "wrote " << a.out << " (" << o.arch << ", " << o.preset << ", " << params << " parameters)\n";
  }
}

}  // namespace

void register_make_model_command(CLI::App& app) {
  auto args = std::make_shared<make_model_args>();
  auto* cmd = app.add_subcommand("make-model", "Write a random-weight model in HF format (tests, benchmarks)");
  cmd->add_option("--arch", args->arch, "gpt2 | llama | qwen2 | bert")
      ->required()
      ->check(CLI::IsMember({"gpt2", "llama", "qwen2", "bert"}));
  cmd->add_option("--config", args->config,
                  "Preset name (gpt2: tiny, gpt2-small; llama: tiny, llama-0.5b; qwen2: tiny, qwen2-0.5b; "
                  "bert: tiny, bert-base) or a JSON object of config.json fields overriding --preset");
  cmd->add_option("--preset", args->preset, "Preset the JSON --config overrides")->capture_default_str();
  cmd->add_option("--out", args->out, "Output folder")->required();
  cmd->add_option("--seed", args->seed, "Seed of the random weights")->capture_default_str();
  cmd->add_option("--dtype", args->dtype, "Stored weight type")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}))
      ->capture_default_str();
  cmd->add_flag("--json", args->json, "Print {\"out\",\"arch\",\"preset\",\"parameters\"} as JSON");
  cmd->callback([args] {
    try {
      run(*args);
    } catch (const std::exception& e) {
      std::cerr << "hfserve make-model: " << e.what() << "\n";
      set_exit_code(1);
    }
  });
}

}  // namespace hf::cli
