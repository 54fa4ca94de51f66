// `hfserve classify`: runs a sequence-classification model on one input (text or ids, or a text
// pair with --pair: two segments, as a cross-encoder reads a query and a document); with --json:
// {"logits":[...],"probs":[...],"labels":[...]} (labels in id order, parallel to probs).
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

struct classify_args {
  std::string model;
  std::string dtype = "auto";
  std::string input;
  std::string input_ids;
  std::string pair;
  bool json = false;
};

void run(const classify_args& a) {
  const std::filesystem::path dir = a.model;
  auto enc = [&] {
    progress_line show("loading " + dir.string());
    return engine::load_encoder(dir, dtype_of(a.dtype));
  }();
  std::vector<int32_t> ids;
  std::vector<int32_t> types;
  if (!a.pair.empty()) {
    auto e = engine::tokenizer::from_folder(dir).encode_full(a.input, a.pair, /*add_special_tokens=*/true);
    ids = std::move(e.ids);
    types = std::move(e.type_ids);
  } else {
    ids = input_ids(dir, a.input, a.input_ids, "--input-ids");
  }
  engine::encoder_input in{ids, types};
  const auto r = enc->classify({&in, 1});
  if (r[0].truncated) std::cerr << "hfserve classify: input truncated to " << r[0].tokens << " tokens\n";
  if (!a.json) {
    for (size_t i = 0; i < r[0].probs.size(); ++i) std::cout << enc->labels()[i] << "\t" << r[0].probs[i] << "\n";
    return;
  }
  const nlohmann::ordered_json out = {{"logits", json_floats(r[0].logits)}, {"probs", json_floats(r[0].probs)},
                              {"labels", enc->labels()}};
  std::cout << out.dump() << "\n";
}

}  // namespace

void register_classify_command(CLI::App& app) {
  auto args = std::make_shared<classify_args>();
  auto* cmd = app.add_subcommand("classify", "Classify a text with a sequence-classification model");
  cmd->add_option("--model", args->model, "Model folder (config.json, model.safetensors, tokenizer.json)")->required();
  add_dtype_option(cmd, args->dtype);
  auto* text = cmd->add_option("--input", args->input, "Input text (encoded with the model's tokenizer)");
  auto* ids = cmd->add_option("--input-ids", args->input_ids, "Input token ids, comma separated");
  auto* pair = cmd->add_option("--pair", args->pair, "Second text of a pair (token type 1), with --input");
  text->excludes(ids);
  pair->needs(text);
  cmd->add_flag("--json", args->json, "Print {\"logits\",\"probs\",\"labels\"} as JSON");
  cmd->callback([args, text, ids] {
    try {
      if (text->count() == 0 && ids->count() == 0) throw engine::input_error("give --input or --input-ids");
      run(*args);
    } catch (const std::exception& e) {
      std::cerr << "hfserve classify: " << e.what() << "\n";
      set_exit_code(1);
    }
  });
}

}  // namespace hf::cli
