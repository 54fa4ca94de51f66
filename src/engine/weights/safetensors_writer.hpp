// Writes a .safetensors file one tensor at a time (the whole model is never held in memory):
// each tensor's values are produced as float32 by a callback and stored as F32, F16 or BF16.
// Usage: write_safetensors(path, {{"w", dtype::f32, {2, 3}, [](std::span<float> v) { ... }}});
#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/tensor/tensor.hpp"
#include "engine/weights/dtype.hpp"

namespace hf::engine {

struct tensor_to_write {
  std::string name;
  dtype type = dtype::f32;  // F32, F16 or BF16
  shape_t shape;
  std::function<void(std::span<float>)> fill;  // writes shape_elements(shape) values
};

// Tensors are stored in name order with contiguous offsets; the header is padded to 8 bytes.
// Throws model_error when the file cannot be written or a dtype is not a float type.
void write_safetensors(const std::filesystem::path& path, std::vector<tensor_to_write> tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

}  // namespace hf::engine
