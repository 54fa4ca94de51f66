#include "engine/weights/safetensors.hpp"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "engine/errors.hpp"

namespace hf::engine {
namespace {

[[noreturn]] void fail(const std::string& file, const std::string& what) {
  throw model_error("safetensors file " + file + ": " + what);
}

size_t read_size(const nlohmann::json& v, const std::string& file, const std::string& what) {
  if (v.is_number_unsigned()) return v.get<size_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<size_t>(v.get<int64_t>());
  fail(file, what + " must be a non-negative integer, got " + v.dump());
}

tensor_info parse_entry(const std::string& name, const nlohmann::json& e, size_t data_size,
                        const std::string& file) {
  const std::string where = "tensor '" + name + "'";
  if (!e.is_object()) fail(file, where + ": entry is not an object");
  const auto dt = e.find("dtype");
  const auto sh = e.find("shape");
  const auto off = e.find("data_offsets");
  if (dt == e.end() || !dt->is_string()) fail(file, where + ": missing or non-string \"dtype\"");
  if (sh == e.end() || !sh->is_array()) fail(file, where + ": missing or non-array \"shape\"");
  if (off == e.end() || !off->is_array() || off->size() != 2)
    fail(file, where + ": \"data_offsets\" must be an array of two integers");
  tensor_info t;
  t.name = name;
  const auto type = parse_dtype(dt->get<std::string>());
  if (!type) fail(file, where + ": unknown dtype \"" + dt->get<std::string>() + "\"");
  t.type = *type;
  size_t elements = 1;
  for (const auto& d : *sh) {
    const size_t n = read_size(d, file, where + " shape entry");
    t.shape.push_back(n);
    if (__builtin_mul_overflow(elements, n, &elements)) fail(file, where + ": shape overflows");
  }
  t.begin = read_size((*off)[0], file, where + " data_offsets[0]");
  t.end = read_size((*off)[1], file, where + " data_offsets[1]");
  if (t.begin > t.end) fail(file, where + ": data_offsets begin > end");
  if (t.end > data_size)
    fail(file, where + ": data_offsets [" + std::to_string(t.begin) + ", " + std::to_string(t.end) +
                   ") lie outside the data section of " + std::to_string(data_size) + " bytes");
  size_t bytes = 0;
  if (__builtin_mul_overflow(elements, dtype_size(t.type), &bytes) || bytes != t.end - t.begin)
    fail(file, where + ": byte range of " + std::to_string(t.end - t.begin) +
                   " bytes does not match dtype " + std::string(dtype_name(t.type)) + " and shape");
  return t;
}

}  // namespace

safetensors_header parse_safetensors_header(std::span<const std::byte> file,
                                            const std::string& file_name) {
  if (file.size() < 8) fail(file_name, "truncated: shorter than the 8-byte header length");
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(file[static_cast<size_t>(i)]);
  if (n > k_max_safetensors_header)
    fail(file_name, "header length " + std::to_string(n) + " exceeds the 100 MB limit");
  if (n > file.size() - 8)
    fail(file_name, "truncated: header of " + std::to_string(n) + " bytes but file has " +
                        std::to_string(file.size()) + " bytes");
  const auto* text = reinterpret_cast<const char*>(file.data() + 8);
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text, text + n);
  } catch (const nlohmann::json::exception& e) {
    fail(file_name, std::string("malformed JSON header: ") + e.what());
  }
  if (!j.is_object()) fail(file_name, "header is not a JSON object");

  safetensors_header h;
  h.data_start = 8 + n;
  const size_t data_size = file.size() - h.data_start;
  for (const auto& [name, entry] : j.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) fail(file_name, "__metadata__ is not an object");
      for (const auto& [k, v] : entry.items())
        h.metadata[k] = v.is_string() ? v.get<std::string>() : v.dump();
      continue;
    }
    h.tensors.push_back(parse_entry(name, entry, data_size, file_name));
  }
  // Overlapping byte ranges would alias two tensors (a sign of a corrupt or hostile file).
  std::vector<const tensor_info*> by_offset;
  for (const auto& t : h.tensors) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const tensor_info* a, const tensor_info* b) { return a->begin < b->begin; });
  const tensor_info* furthest = nullptr;  // the non-empty tensor reaching furthest so far
  for (const auto* cur : by_offset) {
    if (cur->end == cur->begin) continue;
    if (furthest && cur->begin < furthest->end)
      fail(file_name, "tensors '" + furthest->name + "' and '" + cur->name + "' overlap");
    if (!furthest || cur->end > furthest->end) furthest = cur;
  }
  std::sort(h.tensors.begin(), h.tensors.end(),
            [](const tensor_info& a, const tensor_info& b) { return a.name < b.name; });
  return h;
}

safetensors_file safetensors_file::open(const std::filesystem::path& path) {
  safetensors_file f;
  f.file_ = mapped_file::open(path);
  f.header_ = parse_safetensors_header(f.file_->bytes(), path.string());
  return f;
}

const tensor_info* safetensors_file::find(std::string_view name) const {
  const auto& ts = header_.tensors;
  auto it = std::lower_bound(ts.begin(), ts.end(), name,
                             [](const tensor_info& t, std::string_view n) { return t.name < n; });
  return (it != ts.end() && it->name == name) ? &*it : nullptr;
}

std::span<const std::byte> safetensors_file::data(const tensor_info& t) const {
  return file_->bytes().subspan(header_.data_start + t.begin, t.end - t.begin);
}

}  // namespace hf::engine
