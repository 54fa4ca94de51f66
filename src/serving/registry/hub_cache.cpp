#include "serving/registry/hub_cache.hpp"

#include <algorithm>
#include <fstream>

namespace hf::serving {
namespace fs = std::filesystem;
namespace {

std::vector<fs::path> subdirectories(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_directory(ec)) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_ref(const fs::path& file) {
  std::ifstream in(file);
  std::string hash;
  in >> hash;  // the file holds the hash alone (huggingface_hub writes no newline, others may)
  return hash;
}

fs::path newest(const std::vector<fs::path>& dirs) {
  fs::path best;
  fs::file_time_type best_time{};
  for (const auto& d : dirs) {
    std::error_code ec;
    const auto t = fs::last_write_time(d, ec);
    if (ec) continue;
    if (best.empty() || t > best_time) {
      best = d;
      best_time = t;
    }
  }
  return best.empty() && !dirs.empty() ? dirs.back() : best;
}

}  // namespace

std::string repo_id_from_folder(const std::string& folder_name) {
  static const std::string k_prefix = "models--";
  if (!folder_name.starts_with(k_prefix) || folder_name.size() == k_prefix.size()) return "";
  std::string id = folder_name.substr(k_prefix.size());
  for (size_t pos = 0; (pos = id.find("--", pos)) != std::string::npos;) id.replace(pos, 2, "/");
  return id;
}

std::vector<hub_repo> scan_hub_cache(const fs::path& cache) {
  std::vector<hub_repo> repos;
  for (const auto& dir : subdirectories(cache)) {
    std::string id = repo_id_from_folder(dir.filename().string());
    if (id.empty()) continue;
    hub_repo r;
    r.id = std::move(id);
    r.repo_dir = dir;
    const auto snapshots = subdirectories(dir / "snapshots");
    if (snapshots.empty()) {
      r.problem = "no snapshot downloaded in " + (dir / "snapshots").string();
      repos.push_back(std::move(r));
      continue;
    }
    const std::string main = read_ref(dir / "refs" / "main");
    std::error_code ec;
    if (!main.empty() && fs::is_directory(dir / "snapshots" / main, ec)) {
      r.snapshot = dir / "snapshots" / main;
    } else {
      // No refs/main is normal for downloads pinned to a commit; a ref to a missing snapshot is
      // not.
      r.snapshot = newest(snapshots);
      if (!main.empty())
        r.note = "refs/main names " + main +
                 ", which is not downloaded; using the newest snapshot " +
                 r.snapshot.filename().string();
    }
    r.revision = r.snapshot.filename().string();
    repos.push_back(std::move(r));
  }
  return repos;
}

}  // namespace hf::serving
