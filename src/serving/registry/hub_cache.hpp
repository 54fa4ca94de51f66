// Reading the HuggingFace hub cache layout (huggingface_hub's file_download.py conventions):
//   <cache>/models--<org>--<name>/refs/main          the commit hash "main" points to
//   <cache>/models--<org>--<name>/snapshots/<hash>/  files, symlinked into ../../blobs/<sha>
// Usage: for (const hub_repo& r : scan_hub_cache(cache)) inspect(r.snapshot);
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace hf::serving {

struct hub_repo {
  std::string id;                  // "org/name" ("gpt2" for repos without an org)
  std::filesystem::path repo_dir;  // <cache>/models--org--name
  std::filesystem::path snapshot;  // chosen snapshot folder; empty when there is none
  std::string revision;            // its folder name (the commit hash)
  std::string problem;             // why no snapshot could be chosen; empty when fine
  std::string note;                // set when refs/main names a snapshot that is not there
};

// Model repos only (datasets--/spaces-- are ignored), sorted by folder name. The snapshot is the
// one refs/main names; when refs/main is missing (downloads pinned to a commit) or names a
// snapshot that is not there (`note` then says so), the most recently modified snapshot is used.
std::vector<hub_repo> scan_hub_cache(const std::filesystem::path& cache);

// "models--org--name" -> "org/name", as huggingface_hub's scan_cache_dir does; "" if not a model
// repo.
std::string repo_id_from_folder(const std::string& folder_name);

}  // namespace hf::serving
