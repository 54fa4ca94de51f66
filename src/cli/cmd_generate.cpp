// `hfserve generate`: runs a causal LM on a prompt (text or ids) and prints the continuation;
// with --json: {"ids":[...],"text":"...","finish_reason":"..."} (+ "last_logits" with --logits).
#include <charconv>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli/cli_values.hpp"
#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "engine/sampling/generate.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::cli {
namespace {

struct generate_args {
  std::string model;
  std::string dtype = "auto";
  std::string prompt;
  std::string prompt_ids;
  size_t max_tokens = 16;
  float temperature = 0.0f;
  float top_p = 1.0f;
  size_t top_k = 0;
  std::optional<uint64_t> seed;
  bool logits = false;
  bool json = false;
};

void run(const generate_args& a) {
  const std::filesystem::path dir = a.model;
  auto lm = [&] {
    progress_line show("loading " + dir.string());
    return engine::load_causal_lm(dir, dtype_of(a.dtype));
  }();
  std::optional<engine::tokenizer> tok;
  if (std::filesystem::exists(dir / "tokenizer.json")) tok = engine::tokenizer::from_folder(dir);
  std::vector<int32_t> prompt;
  if (!a.prompt_ids.empty()) {
    prompt = parse_ids(a.prompt_ids, "--prompt-ids");
  } else {
    if (!tok) throw engine::model_error("model " + a.model + " has no tokenizer.json; use --prompt-ids");
    prompt = tok->encode(a.prompt);
  }
  engine::sampling_params p;
  p.max_tokens = a.max_tokens;
  p.temperature = a.temperature;
  p.top_p = a.top_p;
  p.top_k = a.top_k;
  p.seed = a.seed;
  auto stream = [&](int32_t, std::string_view text) {
    if (!a.json) std::cout << text << std::flush;
  };
  const auto r = engine::generate(*lm, prompt, p, tok ? &*tok : nullptr, stream);
  if (!a.json) {
    if (!tok) {
      for (size_t i = 0; i < r.ids.size(); ++i) std::cout << (i ? "," : "") << r.ids[i];
    }
    std::cout << "\n";
    return;
  }
  nlohmann::ordered_json out = {{"ids", r.ids}, {"text", r.text}, {"finish_reason", engine::finish_reason_name(r.reason)}};
  if (a.logits) {
    auto& l = out["last_logits"] = nlohmann::ordered_json::array();
    for (float v : r.last_prompt_logits) l.push_back(json_float(v));
  }
  std::cout << out.dump() << "\n";
}

}  // namespace

void register_generate_command(CLI::App& app) {
  auto args = std::make_shared<generate_args>();
  auto* cmd = app.add_subcommand("generate", "Generate text with a causal language model (greedy by default)");
  cmd->add_option("--model", args->model, "Model folder (config.json, model.safetensors, tokenizer.json)")->required();
  add_dtype_option(cmd, args->dtype);
  auto* text = cmd->add_option("--prompt", args->prompt, "Prompt text (encoded with the model's tokenizer)");
  auto* ids = cmd->add_option("--prompt-ids", args->prompt_ids, "Prompt token ids, comma separated (e.g. 1,2,3)");
  text->excludes(ids);
  cmd->add_option("--max-tokens", args->max_tokens, "Maximum number of generated tokens")->capture_default_str();
  cmd->add_option("--temperature", args->temperature, "Sampling temperature; 0 = greedy (the default)")
      ->capture_default_str();
  cmd->add_option("--top-p", args->top_p, "Nucleus sampling threshold")->capture_default_str();
  cmd->add_option("--top-k", args->top_k, "Keep only the k most likely tokens (0 = off)")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed (same seed, same output)");
  cmd->add_flag("--logits", args->logits, "With --json: add \"last_logits\", the logits at the last prompt position");
  cmd->add_flag("--json", args->json, "Print {\"ids\",\"text\",\"finish_reason\"} as JSON");
  cmd->callback([args, text, ids] {
    try {
      if (text->count() == 0 && ids->count() == 0) throw engine::input_error("give --prompt or --prompt-ids");
      run(*args);
    } catch (const std::exception& e) {
      std::cerr << "hfserve generate: " << e.what() << "\n";
      set_exit_code(1);
    }
  });
}

}  // namespace hf::cli
