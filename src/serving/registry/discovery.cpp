#include "serving/registry/discovery.hpp"

#include <algorithm>
#include <map>

#include "observability/log.hpp"
#include "serving/registry/hub_cache.hpp"

namespace hf::serving {
namespace fs = std::filesystem;
namespace {

const obs::logger& discovery_log() {
  static const obs::logger l("serving.discovery");
  return l;
}

bool has_config(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "config.json", ec);
}

void scan_model_dir(const fs::path& given, bool read_weights, std::vector<model_entry>& out) {
  std::error_code ec;
  if (!fs::is_directory(given, ec)) {
    discovery_log().warn("model folder not found; skipped", {{"dir", given.string()}});
    return;
  }
  const fs::path dir = fs::canonical(given, ec);  // "." and "models/" get their real name
  if (has_config(dir)) {
    out.push_back(inspect_model_folder(dir, dir.filename().string(), read_weights));
    return;
  }
  std::vector<fs::path> subs;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(".") && it->is_directory(ec) && has_config(it->path()))
      subs.push_back(it->path());
  }
  std::sort(subs.begin(), subs.end());
  for (const auto& s : subs)
    out.push_back(inspect_model_folder(s, s.filename().string(), read_weights));
}

void scan_hub(const fs::path& cache, bool read_weights, std::vector<model_entry>& out) {
  std::error_code ec;
  if (!fs::is_directory(cache, ec)) {
    discovery_log().debug("no hub cache; skipped", {{"dir", cache.string()}});
    return;
  }
  for (const auto& repo : scan_hub_cache(fs::absolute(cache, ec))) {
    model_entry m;
    if (repo.snapshot.empty()) {
      m.id = repo.id;
      m.path = repo.repo_dir;
      m.hardware = {"cpu"};
      m.error = repo.problem;
    } else {
      m = inspect_model_folder(repo.snapshot, repo.id, read_weights);
      m.revision = repo.revision;
    }
    m.origin = model_origin::hub;
    if (!repo.note.empty()) discovery_log().warn(repo.note, {{"model", repo.id}});
    out.push_back(std::move(m));
  }
}

}  // namespace

std::vector<model_entry> discover(const discovery_options& options) {
  std::vector<model_entry> found;
  for (const auto& dir : options.model_dirs) scan_model_dir(dir, options.read_weights, found);
  if (options.hub_cache) scan_hub(*options.hub_cache, options.read_weights, found);

  std::vector<model_entry> unique;
  std::map<std::string, size_t> index;
  for (auto& m : found) {
    if (const auto it = index.find(m.id); it != index.end()) {
      discovery_log().warn("two models share an id; keeping the first",
                           {{"model", m.id},
                            {"kept", unique[it->second].path.string()},
                            {"ignored", m.path.string()}});
      continue;
    }
    if (!m.ok())
      discovery_log().warn("model folder is broken", {{"model", m.id}, {"error", m.error}});
    index.emplace(m.id, unique.size());
    unique.push_back(std::move(m));
  }
  return unique;
}

}  // namespace hf::serving
