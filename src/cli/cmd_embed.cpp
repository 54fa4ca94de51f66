// `hfserve embed`: runs an encoder model on one input (text or ids) and prints its embedding;
// with --json: {"embedding":[...]} (+ "last_hidden_state":[[...],...] with --hidden-states).
#include <charconv>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_values.hpp"
#include "cli/commands.hpp"
#include "cli/progress_line.hpp"
#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::cli {
namespace {

struct embed_args {
  std::string model;
  std::string dtype = "auto";
  std::string input;
  std::string input_ids;
  std::string pooling;
  bool normalize = false;
  bool hidden_states = false;
  bool json = false;
};

void run(const embed_args& a) {
  const std::filesystem::path dir = a.model;
  auto enc = [&] {
    progress_line show("loading " + dir.string());
    return engine::load_encoder(dir, dtype_of(a.dtype));
  }();
  const std::vector<int32_t> ids = input_ids(dir, a.input, a.input_ids, "--input-ids");
  engine::embed_options o;
  if (enc->default_pooling()) {
    o.mode = enc->default_pooling()->mode;
    o.normalize = enc->default_pooling()->normalize;
  }
  if (!a.pooling.empty()) o.mode = *engine::parse_pooling(a.pooling);
  o.normalize = o.normalize || a.normalize;
  o.hidden_states = a.hidden_states;
  engine::encoder_input in{ids};
  const auto r = enc->embed({&in, 1}, o);
  if (r[0].truncated) std::cerr << "hfserve embed: input truncated to " << r[0].tokens << " tokens\n";
  if (!a.json) {
    for (size_t i = 0; i < r[0].embedding.size(); ++i) std::cout << (i ? " " : "") << r[0].embedding[i];
    std::cout << "\n";
    return;
  }
  nlohmann::ordered_json out = {{"embedding", json_floats(r[0].embedding)}};
  if (a.hidden_states) {
    auto& rows = out["last_hidden_state"] = nlohmann::ordered_json::array();
    const auto& h = r[0].last_hidden_state;
    for (size_t t = 0; t < h.dim(0); ++t) rows.push_back(json_floats({h.row(t), h.dim(1)}));
  }
  std::cout << out.dump() << "\n";
}

}  // namespace

void register_embed_command(CLI::App& app) {
  auto args = std::make_shared<embed_args>();
  auto* cmd = app.add_subcommand("embed", "Compute a sentence embedding with an encoder model");
  cmd->add_option("--model", args->model, "Model folder (config.json, model.safetensors, tokenizer.json)")->required();
  add_dtype_option(cmd, args->dtype);
  auto* text = cmd->add_option("--input", args->input, "Input text (encoded with the model's tokenizer)");
  auto* ids = cmd->add_option("--input-ids", args->input_ids, "Input token ids, comma separated");
  text->excludes(ids);
  cmd->add_option("--pooling", args->pooling,
                  "mean | cls | last (default: the folder's sentence-transformers setting, else mean)")
      ->check(CLI::IsMember({"mean", "cls", "last"}));
  cmd->add_flag("--normalize", args->normalize, "L2-normalise the embedding");
  cmd->add_flag("--hidden-states", args->hidden_states, "With --json: add \"last_hidden_state\"");
  cmd->add_flag("--json", args->json, "Print {\"embedding\":[...]} as JSON");
  cmd->callback([args, text, ids] {
    try {
      if (text->count() == 0 && ids->count() == 0) throw engine::input_error("give --input or --input-ids");
      run(*args);
    } catch (const std::exception& e) {
      std::cerr << "hfserve embed: " << e.what() << "\n";
      set_exit_code(1);
    }
  });
}

}  // namespace hf::cli
