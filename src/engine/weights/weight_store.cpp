#include "engine/weights/weight_store.hpp"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "engine/errors.hpp"
#include "engine/weights/progress.hpp"

namespace hf::engine {
namespace fs = std::filesystem;

namespace {

bool has_pytorch_bin(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const auto name = e.path().filename().string();
    if (name.ends_with(".bin") && (name.starts_with("pytorch_model") || name.starts_with("model")))
      return true;
  }
  return false;
}

std::vector<std::string> shard_names(const fs::path& index_path) {
  std::ifstream in(index_path);
  if (!in) throw model_error("cannot read " + index_path.string());
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw model_error("malformed JSON in " + index_path.string() + ": " + e.what());
  }
  if (!j.is_object() || !j.contains("weight_map") || !j["weight_map"].is_object())
    throw model_error(index_path.string() + ": missing \"weight_map\" object");
  std::vector<std::string> shards;
  for (const auto& [tensor, file] : j["weight_map"].items()) {
    if (!file.is_string())
      throw model_error(index_path.string() + ": weight_map entry for '" + tensor + "' is not a string");
    const auto f = file.get<std::string>();
    // Shards must be plain file names inside the folder (an index may not point elsewhere).
    if (f.empty() || f.find('/') != std::string::npos || f == "." || f == "..")
      throw model_error(index_path.string() + ": invalid shard file name '" + f + "' for '" + tensor + "'");
    if (std::find(shards.begin(), shards.end(), f) == shards.end()) shards.push_back(f);
  }
  return shards;
}

}  // namespace

weight_store weight_store::open(const fs::path& dir) {
  weight_store ws;
  ws.dir_ = dir;
  if (!fs::is_directory(dir)) throw model_error("model folder " + dir.string() + " does not exist");
  std::vector<std::string> files;
  if (fs::exists(dir / "model.safetensors")) {
    files.push_back("model.safetensors");
  } else if (fs::exists(dir / "model.safetensors.index.json")) {
    files = shard_names(dir / "model.safetensors.index.json");
  } else if (has_pytorch_bin(dir)) {
    throw model_error("model folder " + dir.string() +
                      " holds only PyTorch .bin weights; convert them to safetensors "
                      "(e.g. transformers save_pretrained(safe_serialization=True))");
  } else {
    throw model_error("model folder " + dir.string() +
                      " has neither model.safetensors nor model.safetensors.index.json");
  }
  for (const auto& name : files) {
    auto f = std::make_unique<safetensors_file>(safetensors_file::open(dir / name));
    for (const auto& t : f->tensors()) {
      if (ws.index_.contains(t.name))
        throw model_error("tensor '" + t.name + "' appears in more than one shard of " + dir.string());
      ws.index_.emplace(t.name, entry{f.get(), &t});
    }
    ws.files_.push_back(std::move(f));
  }
  std::uint64_t total = 0;
  for (const auto& [name, e] : ws.index_) total += e.info->end - e.info->begin;
  progress_start(total);
  return ws;
}

const weight_store::entry* weight_store::lookup(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &it->second;
}

const tensor_info* weight_store::find(std::string_view name) const {
  const entry* e = lookup(name);
  return e ? e->info : nullptr;
}

std::vector<std::string> weight_store::names() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : index_) out.push_back(name);
  return out;
}

weight weight_store::load(std::string_view name, const shape_t& expected) const {
  const std::string names[1] = {std::string(name)};
  return load_first(names, expected);
}

const weight_store::entry& weight_store::checked(std::span<const std::string> names,
                                                 const shape_t& expected) const {
  const entry* e = nullptr;
  for (const auto& n : names)
    if ((e = lookup(n))) break;
  if (!e) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "'" : " or '") + n + "'";
    throw model_error("missing tensor " + list + " in " + dir_.string());
  }
  const tensor_info& t = *e->info;
  const std::string where = "tensor '" + t.name + "' in " + e->file->path().string();
  if (t.shape != expected)
    throw model_error(where + " has shape " + shape_string(t.shape) + " but config.json implies " +
                      shape_string(expected));
  if (!is_float_convertible(t.type))
    throw model_error(where + " has dtype " + std::string(dtype_name(t.type)) +
                      "; only F32, F16 and BF16 are supported");
  return *e;
}

weight weight_store::load_first(std::span<const std::string> names, const shape_t& expected) const {
  const entry& e = checked(names, expected);
  const tensor_info& t = *e.info;
  const auto bytes = e.file->data(t);
  progress_advance(bytes.size());
  const auto addr = reinterpret_cast<uintptr_t>(bytes.data());
  if (t.type == dtype::f32 && addr % alignof(float) == 0) {
    return {reinterpret_cast<const float*>(bytes.data()), t.shape, e.file->mapping()};
  }
  tensor converted(t.shape);
  convert_to_f32(t.type, bytes, converted.span());
  e.file->mapping()->release(bytes);
  return weight::from_tensor(std::move(converted));
}

namespace {

// The weight type a stored dtype already is, if it is one the engine keeps.
std::optional<weight_type> kept_type(dtype t) {
  if (t == dtype::f32) return weight_type::f32;
  if (t == dtype::bf16) return weight_type::bf16;
  if (t == dtype::f16) return weight_type::f16;
  return std::nullopt;
}

// [rows, cols] -> [cols, rows], in tiles that stay in cache on both sides.
tensor transposed_copy(const tensor& w) {
  const size_t rows = w.dim(0), cols = w.dim(1);
  tensor t({cols, rows});
  constexpr size_t tile = 32;
  for (size_t r0 = 0; r0 < rows; r0 += tile)
    for (size_t c0 = 0; c0 < cols; c0 += tile)
      for (size_t r = r0; r < std::min(rows, r0 + tile); ++r)
        for (size_t c = c0; c < std::min(cols, c0 + tile); ++c)
          t.data()[c * rows + r] = w.data()[r * cols + c];
  return t;
}

}  // namespace

matrix weight_store::load_matrix(std::string_view name, size_t rows, size_t cols,
                                 const dtype_request& request, bool transposed) const {
  const std::string names[1] = {std::string(name)};
  const entry& e = checked(names, transposed ? shape_t{cols, rows} : shape_t{rows, cols});
  const tensor_info& t = *e.info;
  const weight_type target = request.resolve(t.type);
  const auto bytes = e.file->data(t);
  progress_advance(bytes.size());
  const auto addr = reinterpret_cast<uintptr_t>(bytes.data());
  if (!transposed && kept_type(t.type) == target && addr % dtype_size(t.type) == 0)
    return {target, bytes.data(), rows, cols, nullptr, e.file->mapping()};
  tensor wide(t.shape);
  convert_to_f32(t.type, bytes, wide.span());
  e.file->mapping()->release(bytes);
  if (transposed) wide = transposed_copy(wide);
  if (target == weight_type::f32) return matrix::from_weight(weight::from_tensor(std::move(wide)));
  return matrix::convert(wide.data(), rows, cols, target);
}

}  // namespace hf::engine
