// `hfserve tokenize --model DIR --text TEXT [--pair TEXT] [--no-special] [--json]`: encodes text
// with the model folder's tokenizer.json, adding special tokens by default (as transformers'
// add_special_tokens=True). Prints one "id<TAB>token<TAB>[start, end)" line per token, or with
// --json one object {"ids": [...], "tokens": [...]}.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "engine/errors.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::cli {
namespace {

struct tokenize_options {
  std::string model_dir;
  std::string text;
  std::string pair;
  bool no_special = false;
  bool json = false;
};

int run_tokenize(const tokenize_options& o, const CLI::Option* pair_opt) {
  try {
    auto tok = engine::tokenizer::from_folder(o.model_dir);
    std::optional<std::string_view> pair;
    if (pair_opt->count() > 0) pair = o.pair;
    engine::encoding e = tok.encode_full(o.text, pair, !o.no_special);
    if (o.json) {
      // error_handler::replace: token strings are valid UTF-8, but be safe on odd vocabularies.
      nlohmann::json out{{"ids", e.ids}, {"tokens", e.tokens}};
      std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
      return 0;
    }
    for (size_t i = 0; i < e.ids.size(); ++i) {
      std::cout << e.ids[i] << "\t" << e.tokens[i] << "\t[" << e.offsets[i].first << ", "
                << e.offsets[i].second << ")\n";
    }
    return 0;
  } catch (const engine::engine_error& err) {
    std::cerr << "hfserve tokenize: " << err.what() << "\n";
    return 1;
  }
}

}  // namespace

void register_tokenize_command(CLI::App& app) {
  auto opts = std::make_shared<tokenize_options>();
  auto* cmd = app.add_subcommand("tokenize", "Encode text with a model folder's tokenizer.json");
  cmd->add_option("--model", opts->model_dir, "Folder with tokenizer.json (and optional configs)")
      ->required();
  cmd->add_option("--text", opts->text, "Text to encode")->required();
  auto* pair = cmd->add_option("--pair", opts->pair, "Second segment (sentence pairs)");
  cmd->add_flag("--no-special", opts->no_special,
                "Do not add special tokens (add_special_tokens=False)");
  cmd->add_flag("--json", opts->json, "Print {\"ids\": [...], \"tokens\": [...]}");
  cmd->callback([opts, pair] { set_exit_code(run_tokenize(*opts, pair)); });
}

}  // namespace hf::cli
