// All weights of one model folder: model.safetensors, or the shards listed by
// model.safetensors.index.json. Loads tensors as float32 `weight`s: aligned F32 data is used in place
// (zero copy, the mapping stays alive with the weight); F16/BF16 are widened to f32 once.
// Usage: auto ws = weight_store::open(dir); weight w = ws.load("lm_head.weight", {vocab, hidden});
#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/tensor/tensor.hpp"
#include "engine/weights/safetensors.hpp"

namespace hf::engine {

class weight_store {
 public:
  // Throws model_error when the folder has no safetensors weights (a folder holding only
  // pytorch_model.bin gets a "convert to safetensors" message) or a file is malformed.
  static weight_store open(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  const tensor_info* find(std::string_view name) const;  // nullptr when absent
  bool contains(std::string_view name) const { return find(name) != nullptr; }
  std::vector<std::string> names() const;

  // The tensor as float32 with exactly the `expected` shape; a missing tensor, a shape mismatch or
  // a non-float dtype throws model_error naming the tensor and its file.
  weight load(std::string_view name, const shape_t& expected) const;
  // Same, trying each name in order (checkpoints differ in prefixes); the error lists them all.
  weight load_first(std::span<const std::string> names, const shape_t& expected) const;

 private:
  struct entry {
    const safetensors_file* file;
    const tensor_info* info;
  };
  const entry* lookup(std::string_view name) const;

  std::filesystem::path dir_;
  std::vector<std::unique_ptr<safetensors_file>> files_;
  std::map<std::string, entry, std::less<>> index_;
};

}  // namespace hf::engine
