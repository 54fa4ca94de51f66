// Values shared by the engine commands (generate, embed, classify): comma-separated token ids
// from the command line, the --dtype option, and floats printed in their shortest form in --json
// output.
// Usage: auto ids = parse_ids(args.input_ids, "--input-ids");  out["logits"] = json_floats(v);
//        add_dtype_option(cmd, args->dtype);  engine::load_causal_lm(dir, dtype_of(args->dtype));
#pragma once
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "engine/weights/dtype_request.hpp"

namespace hf::cli {

// "1,2,3" -> {1, 2, 3}; throws engine::input_error naming `flag` and the bad item.
std::vector<int32_t> parse_ids(const std::string& list, std::string_view flag);

// The token ids of a command's input: `ids` parsed when given, else `text` encoded with the
// model folder's tokenizer.json (special tokens added); a clear error when there is none.
std::vector<int32_t> input_ids(const std::filesystem::path& model_dir, const std::string& text,
                               const std::string& ids, std::string_view ids_flag);

// --dtype auto|f32|bf16|f16|int8 (default auto: the checkpoint's own weight type).
void add_dtype_option(CLI::App* cmd, std::string& dtype);
engine::dtype_request dtype_of(const std::string& dtype);  // a value add_dtype_option accepted

// The double whose shortest decimal form is the float's shortest form, so that JSON shows "0.1",
// not "0.10000000149011612".
double json_float(float f);
nlohmann::ordered_json json_floats(std::span<const float> v);

}  // namespace hf::cli
