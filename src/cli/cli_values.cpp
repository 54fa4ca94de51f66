#include "cli/cli_values.hpp"

#include <charconv>
#include <sstream>

#include "engine/errors.hpp"
#include "engine/tokenizer/tokenizer.hpp"

namespace hf::cli {

std::vector<int32_t> parse_ids(const std::string& list, std::string_view flag) {
  std::vector<int32_t> ids;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    int32_t v = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec != std::errc() || end != item.data() + item.size())
      throw engine::input_error(std::string(flag) + ": \"" + item + "\" is not an integer");
    ids.push_back(v);
  }
  return ids;
}

std::vector<int32_t> input_ids(const std::filesystem::path& model_dir, const std::string& text,
                               const std::string& ids, std::string_view ids_flag) {
  if (!ids.empty()) return parse_ids(ids, ids_flag);
  if (!std::filesystem::exists(model_dir / "tokenizer.json")) {
    throw engine::model_error("model " + model_dir.string() + " has no tokenizer.json; use " +
                              std::string(ids_flag));
  }
  return engine::tokenizer::from_folder(model_dir).encode(text);
}

double json_float(float f) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof(buf), f);
  double d = 0;
  std::from_chars(buf, r.ptr, d);
  return d;
}

nlohmann::ordered_json json_floats(std::span<const float> v) {
  auto a = nlohmann::ordered_json::array();
  for (float x : v) a.push_back(json_float(x));
  return a;
}

void add_dtype_option(CLI::App* cmd, std::string& dtype) {
  cmd->add_option("--dtype", dtype,
                  "Weight type of the model's matrices: auto (the checkpoint's own), f32, bf16, "
                  "f16, or int8 "
                  "(per-channel quantized at load)")
      ->capture_default_str()
      ->check([](const std::string& v) {
        return engine::dtype_request::parse(v)
                   ? std::string()
                   : "must be one of " + std::string(engine::dtype_request::choices);
      });
}

engine::dtype_request dtype_of(const std::string& dtype) {
  return engine::dtype_request::parse(dtype).value_or(engine::dtype_request{});
}

}  // namespace hf::cli
