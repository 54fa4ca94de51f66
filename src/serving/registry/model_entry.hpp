// What discovery knows about one model folder without loading it: id, where it lives, what it is
// (architecture, task), how big it is, and whether the engine can run it. A folder that could not
// be read fully still yields an entry, with `error` set and the fields it could not fill left
// empty. Usage: for (const model_entry& m : discover(opts)) if (m.supported) serve(m.id, m.path);
#pragma once
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hf::serving {

enum class model_task { text_generation, embeddings, classification, unknown };
std::string_view model_task_name(model_task t);  // "text-generation" | "embeddings" | ...

enum class model_origin { hub, folder };
std::string_view model_origin_name(model_origin o);  // "hub" | "dir"

struct model_entry {
  std::string id;  // hub: "org/name"; folders: the folder's name
  model_origin origin = model_origin::folder;
  std::filesystem::path path;  // the folder to load (hub: the snapshot folder)
  std::string revision;        // hub: the snapshot's commit hash; empty for folders
  std::string architecture;    // config.json "architectures"[0]
  std::string model_type;      // config.json "model_type"
  model_task task = model_task::unknown;
  std::optional<std::uint64_t> parameters;  // sum of tensor elements; nullopt without safetensors
  std::string dtype;                        // "float32", "bfloat16"...; empty when unknown
  std::uint64_t size_bytes = 0;       // files of the folder, symlinks followed, each blob once
  bool has_tokenizer = false;         // tokenizer.json present
  bool supported = false;             // the engine can load it (see unsupported_reason)
  std::string unsupported_reason;     // why not, when !supported and no error
  std::vector<std::string> hardware;  // devices it can run on: {"cpu"}
  std::string error;                  // non-empty: the folder is broken (bad JSON, bad weights)

  bool ok() const { return error.empty(); }
};

// {"id", "source", "path", "revision", "architecture", "model_type", "task", "parameters", "dtype",
//  "size_bytes", "has_tokenizer", "supported", "unsupported_reason", "hardware", "error"};
// absent values (revision, parameters, dtype, reasons, error) are null.
nlohmann::json to_json(const model_entry& m);

}  // namespace hf::serving
