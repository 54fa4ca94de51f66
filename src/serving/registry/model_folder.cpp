// inspect_model_folder: config.json, sentence-transformers markers, safetensors headers and the
// folder's size on disk. Every failure is recorded in the entry, never thrown.
#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>

#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "engine/weights/safetensors.hpp"
#include "serving/registry/discovery.hpp"

namespace hf::serving {
namespace fs = std::filesystem;
namespace {

// A folder problem that becomes the entry's error message.
class folder_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

nlohmann::json read_json(const fs::path& file) {
  std::ifstream in(file);
  if (!in) throw folder_error("cannot read " + file.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw folder_error(file.string() + ": invalid JSON (" + e.what() + ")");
  }
}

std::string string_field(const nlohmann::json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.ends_with(suffix);
}

model_task task_for(const std::string& arch, bool sentence_transformers) {
  static const std::set<std::string, std::less<>> k_encoders = {
      "BertModel", "RobertaModel", "XLMRobertaModel", "DistilBertModel", "MPNetModel"};
  if (sentence_transformers) return model_task::embeddings;  // modules.json: a SentenceTransformer
  if (ends_with(arch, "ForCausalLM") || ends_with(arch, "LMHeadModel"))
    return model_task::text_generation;
  if (ends_with(arch, "ForSequenceClassification")) return model_task::classification;
  if (k_encoders.contains(arch)) return model_task::embeddings;
  return model_task::unknown;
}

// Bytes of every file under `dir`, symlinks followed (hub snapshots link into blobs/); a blob that
// two names link to is counted once. Dangling links (interrupted downloads) count nothing.
std::uint64_t folder_size(const fs::path& dir) {
  std::set<std::pair<dev_t, ino_t>> seen;
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    struct stat st {};
    if (::stat(it->path().c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (seen.emplace(st.st_dev, st.st_ino).second) total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

// The safetensors files of the folder: the shards named by model.safetensors.index.json when it
// exists, else every *.safetensors file at the top level.
std::vector<fs::path> weight_files(const fs::path& dir) {
  std::vector<fs::path> files;
  const fs::path index = dir / "model.safetensors.index.json";
  std::error_code ec;
  if (fs::exists(index, ec)) {
    const auto j = read_json(index);
    const auto map = j.find("weight_map");
    if (map == j.end() || !map->is_object())
      throw folder_error(index.string() + ": \"weight_map\" is missing or not an object");
    std::set<std::string> shards;
    for (const auto& [tensor, file] : map->items()) {
      if (!file.is_string())
        throw folder_error(index.string() + ": weight_map['" + tensor + "'] is not a string");
      shards.insert(file.get<std::string>());
    }
    for (const auto& s : shards) files.push_back(dir / s);
    return files;
  }
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".safetensors") files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

std::string torch_dtype_name(engine::dtype t) {
  using engine::dtype;
  switch (t) {
    case dtype::f64:
      return "float64";
    case dtype::f32:
      return "float32";
    case dtype::f16:
      return "float16";
    case dtype::bf16:
      return "bfloat16";
    case dtype::i64:
      return "int64";
    case dtype::i32:
      return "int32";
    case dtype::i16:
      return "int16";
    case dtype::i8:
      return "int8";
    case dtype::u8:
      return "uint8";
    case dtype::boolean:
      return "bool";
    case dtype::f8_e4m3:
      return "float8_e4m3fn";
    case dtype::f8_e5m2:
      break;
  }
  return "float8_e5m2";
}

struct weights_summary {
  std::uint64_t parameters = 0;
  std::string dtype;  // the type holding the most elements
};

// Reads only the headers (the files are mapped; the tensor data is never touched).
weights_summary summarise_weights(const std::vector<fs::path>& files) {
  weights_summary s;
  std::map<engine::dtype, std::uint64_t> per_type;
  for (const auto& f : files) {
    const auto st = engine::safetensors_file::open(f);
    for (const auto& t : st.tensors()) {
      std::uint64_t n = 1;
      for (size_t d : t.shape) n *= d;
      s.parameters += n;
      per_type[t.type] += n;
    }
  }
  const auto best =
      std::max_element(per_type.begin(), per_type.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; });
  if (best != per_type.end()) s.dtype = torch_dtype_name(best->first);
  return s;
}

bool engine_supports(const std::string& arch) {
  static const std::vector<std::string> k_supported = engine::supported_architectures();
  return std::find(k_supported.begin(), k_supported.end(), arch) != k_supported.end();
}

}  // namespace

model_entry inspect_model_folder(const fs::path& dir, std::string id, bool read_weights) {
  model_entry m;
  m.id = std::move(id);
  m.path = dir;
  m.hardware = {"cpu"};
  std::error_code ec;
  m.size_bytes = folder_size(dir);
  m.has_tokenizer = fs::exists(dir / "tokenizer.json", ec);
  std::vector<fs::path> files;
  try {
    if (!fs::exists(dir / "config.json", ec))
      throw folder_error("no config.json in " + dir.string());
    const auto config = read_json(dir / "config.json");
    if (!config.is_object())
      throw folder_error((dir / "config.json").string() + ": not a JSON object");
    if (const auto a = config.find("architectures");
        a != config.end() && a->is_array() && !a->empty() && a->front().is_string())
      m.architecture = a->front().get<std::string>();
    m.model_type = string_field(config, "model_type");
    m.task = task_for(m.architecture, fs::exists(dir / "modules.json", ec));
    // transformers writes "torch_dtype" (newer versions "dtype"); safetensors headers win below.
    m.dtype = string_field(config, "torch_dtype");
    if (m.dtype.empty()) m.dtype = string_field(config, "dtype");
    files = weight_files(dir);
    if (read_weights && !files.empty()) {
      const auto w = summarise_weights(files);
      m.parameters = w.parameters;
      if (!w.dtype.empty()) m.dtype = w.dtype;
    }
  } catch (const folder_error& e) {
    m.error = e.what();
  } catch (const engine::model_error& e) {  // a malformed or unreadable safetensors file
    m.error = e.what();
  }
  if (!m.ok()) return m;
  if (m.architecture.empty()) {
    m.unsupported_reason = "config.json names no architecture";
  } else if (!engine_supports(m.architecture)) {
    m.unsupported_reason = "architecture " + m.architecture + " is not supported by the engine";
  } else if (files.empty()) {
    m.unsupported_reason = "no safetensors weights (convert pytorch_model.bin to safetensors)";
  } else {
    m.supported = true;
  }
  return m;
}

}  // namespace hf::serving
