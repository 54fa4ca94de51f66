#include "engine/weights/safetensors_writer.hpp"

#include <algorithm>
#include <bit>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/errors.hpp"
#include "engine/weights/progress.hpp"

namespace hf::engine {

// Tensors are written as the in-memory bytes of floats; safetensors is little-endian.
static_assert(std::endian::native == std::endian::little);

void write_safetensors(const std::filesystem::path& path, std::vector<tensor_to_write> tensors,
                       const std::map<std::string, std::string>& metadata) {
  std::sort(tensors.begin(), tensors.end(),
            [](const tensor_to_write& a, const tensor_to_write& b) { return a.name < b.name; });
  // nlohmann's default object is ordered by key, which matches the sorted tensor order.
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  size_t offset = 0;
  for (const auto& t : tensors) {
    if (!is_float_convertible(t.type))
      throw model_error("safetensors writer: tensor '" + t.name + "' has unsupported dtype " +
                        std::string(dtype_name(t.type)));
    const size_t bytes = shape_elements(t.shape) * dtype_size(t.type);
    header[t.name] = {{"dtype", std::string(dtype_name(t.type))},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');

  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw model_error("cannot create " + path.string());
  uint64_t n = text.size();
  char len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<char>((n >> (8 * i)) & 0xffu);
  out.write(len, 8);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));

  std::vector<float> values;
  std::vector<uint16_t> halves;
  progress_start(offset);
  for (const auto& t : tensors) {
    values.resize(shape_elements(t.shape));
    if (t.fill) t.fill(values);
    if (t.type == dtype::f32) {
      out.write(reinterpret_cast<const char*>(values.data()),
                static_cast<std::streamsize>(values.size() * sizeof(float)));
    } else {
      halves.resize(values.size());
      for (size_t i = 0; i < values.size(); ++i)
        halves[i] = t.type == dtype::f16 ? f32_to_f16(values[i]) : f32_to_bf16(values[i]);
      out.write(reinterpret_cast<const char*>(halves.data()),
                static_cast<std::streamsize>(halves.size() * sizeof(uint16_t)));
    }
    progress_advance(values.size() * dtype_size(t.type));
  }
  out.flush();
  if (!out) throw model_error("error while writing " + path.string());
}

}  // namespace hf::engine
