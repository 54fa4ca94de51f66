// Model discovery: lists the models found in --model-dir folders and in the HuggingFace hub cache
// (as huggingface_hub lays it out: <cache>/models--org--name/{refs/main, snapshots/<rev>/,
// blobs/}). Reads config.json and the safetensors headers only; never loads weights. Blocking file
// I/O: call it at startup or through the runtime's to_thread. A broken model never stops discovery.
// Usage: auto models = discover({.model_dirs = {"./models"}, .hub_cache = cfg.hub_cache});
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "serving/registry/model_entry.hpp"

namespace hf::serving {

struct discovery_options {
  // Scanned first, in order. A folder holding config.json is one model (id: its name); otherwise
  // each subfolder holding config.json is one (id: the subfolder's name). Missing folders are
  // skipped with a warning.
  std::vector<std::filesystem::path> model_dirs;
  // Scanned after the folders; nullopt or a missing folder is skipped silently (no downloads yet).
  std::optional<std::filesystem::path> hub_cache;
  // false: skip the safetensors headers (no parameter count; dtype from config.json only).
  bool read_weights = true;
};

// Entries in discovery order: model_dirs in order (subfolders by name), then hub repos by name.
// When two models get the same id the first is kept and a warning is logged
// (logger "serving.discovery").
std::vector<model_entry> discover(const discovery_options& options);

// Inspects one model folder (used by discover; also handy for a folder given directly).
model_entry inspect_model_folder(const std::filesystem::path& dir, std::string id,
                                 bool read_weights = true);

}  // namespace hf::serving
