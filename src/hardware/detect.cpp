#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "hardware/accelerators.hpp"
#include "hardware/hardware.hpp"
#include "hardware/proc_parse.hpp"
#include "hardware/simd.hpp"

namespace hf::hw {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_text(const fs::path& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The cgroup directory of this process and its ancestors, innermost first, under a mount point.
// Limits may sit on any ancestor, so callers take the smallest.
std::vector<fs::path> cgroup_dirs(const fs::path& mount, const std::optional<std::string>& path) {
  std::vector<fs::path> out;
  fs::path rel = path ? fs::path(*path).relative_path() : fs::path();
  while (!rel.empty()) {
    out.push_back(mount / rel);
    rel = rel.parent_path();
  }
  out.push_back(mount);
  return out;
}

template <class Parse>
auto smallest(const std::vector<fs::path>& dirs, const char* file, Parse&& parse) -> decltype(parse(std::string())) {
  decltype(parse(std::string())) best;
  for (const auto& d : dirs) {
    auto text = read_text(d / file);
    if (!text) continue;
    auto v = parse(*text);
    if (v && (!best || *v < *best)) best = v;
  }
  return best;
}

struct cgroup_view {
  std::optional<std::uint64_t> memory_limit;
  std::optional<std::uint64_t> memory_usage;
  std::optional<double> cpu_limit;
};

cgroup_view read_cgroups(const fs::path& root) {
  cgroup_view out;
  cgroup_paths paths;
  if (auto text = read_text(root / "proc/self/cgroup")) paths = parse_proc_self_cgroup(*text);
  const fs::path base = root / "sys/fs/cgroup";
  // cgroup v2 (unified hierarchy): memory.max, memory.current, cpu.max.
  if (fs::exists(base / "cgroup.controllers")) {
    auto dirs = cgroup_dirs(base, paths.unified);
    out.memory_limit = smallest(dirs, "memory.max", parse_memory_limit);
    out.cpu_limit = smallest(dirs, "cpu.max", parse_cpu_max);
    for (const auto& d : dirs) {
      if (auto text = read_text(d / "memory.current")) {
        out.memory_usage = parse_memory_limit(*text);
        break;
      }
    }
    return out;
  }
  // cgroup v1: one hierarchy per controller.
  auto mem_dirs = cgroup_dirs(base / "memory", paths.memory_v1);
  out.memory_limit = smallest(mem_dirs, "memory.limit_in_bytes", parse_memory_limit);
  for (const auto& d : mem_dirs) {
    if (auto text = read_text(d / "memory.usage_in_bytes")) {
      out.memory_usage = parse_memory_limit(*text);
      break;
    }
  }
  for (const char* mount : {"cpu", "cpu,cpuacct", "cpuacct,cpu"}) {
    auto cpu_dirs = cgroup_dirs(base / mount, paths.cpu_v1);
    for (const auto& d : cpu_dirs) {
      auto quota = read_text(d / "cpu.cfs_quota_us");
      auto period = read_text(d / "cpu.cfs_period_us");
      if (!quota || !period) continue;
      auto v = parse_cfs_quota(*quota, *period);
      if (v && (!out.cpu_limit || *v < *out.cpu_limit)) out.cpu_limit = v;
    }
    if (out.cpu_limit) break;
  }
  return out;
}

cache_sizes read_caches(const fs::path& root) {
  cache_sizes out;
  const fs::path dir = root / "sys/devices/system/cpu/cpu0/cache";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind("index", 0) != 0) continue;
    auto level = read_text(entry.path() / "level");
    auto type = read_text(entry.path() / "type");
    auto size = read_text(entry.path() / "size");
    if (!level || !type || !size) continue;
    std::uint64_t bytes = parse_cache_size(*size);
    int lvl = std::atoi(level->c_str());
    std::string t = type->substr(0, type->find_first_of("\r\n"));
    if (lvl == 1 && t == "Data") out.l1d_bytes = bytes;
    else if (lvl == 1 && t == "Instruction") out.l1i_bytes = bytes;
    else if (lvl == 2) out.l2_bytes = bytes;
    else if (lvl == 3) out.l3_bytes = bytes;
  }
  return out;
}

std::string machine_architecture() {
  struct utsname u {};
  if (::uname(&u) != 0) return "unknown";
  return u.machine;
}

void detect_cpu(const fs::path& root, bool live, hardware_info& info) {
  cpu_info& cpu = info.cpu;
  cpu.architecture = machine_architecture();
  cpuinfo_summary summary;
  if (auto text = read_text(root / "proc/cpuinfo")) {
    summary = parse_cpuinfo(*text);
  } else {
    info.notes.push_back("cannot read " + (root / "proc/cpuinfo").string());
  }
  cpu.model_name = summary.model_name.empty() ? "unknown" : summary.model_name;
  cpu.vendor = summary.vendor;
  cpu.logical_cores = summary.logical_cores;
  if (cpu.logical_cores == 0) {
    if (auto online = read_text(root / "sys/devices/system/cpu/online")) cpu.logical_cores = count_cpu_list(*online);
  }
  if (cpu.logical_cores == 0 && live) cpu.logical_cores = static_cast<int>(::sysconf(_SC_NPROCESSORS_ONLN));
  cpu.logical_cores = std::max(cpu.logical_cores, 1);
  // VMs and ARM kernels often omit physical/core ids: count every logical CPU as a core then.
  cpu.physical_cores = summary.physical_cores > 0 ? summary.physical_cores : cpu.logical_cores;
  cpu.sockets = summary.sockets > 0 ? summary.sockets : 1;
  cpu.affinity_cores = cpu.logical_cores;
  if (live) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (::sched_getaffinity(0, sizeof set, &set) == 0) cpu.affinity_cores = CPU_COUNT(&set);
  }
  if (live) {
    cpu.simd = detect_simd();
  } else {
    for (const auto& [name, flag] : simd_cpuinfo_flags())
      if (summary.flags.count(std::string(flag))) cpu.simd.emplace_back(name);
  }
  cpu.caches = read_caches(root);
}

void detect_memory(const fs::path& root, const cgroup_view& cg, hardware_info& info) {
  memory_info& mem = info.memory;
  if (auto text = read_text(root / "proc/meminfo")) {
    auto summary = parse_meminfo(*text);
    mem.total_bytes = summary.total_bytes;
    mem.available_bytes = summary.available_bytes;
  } else {
    info.notes.push_back("cannot read " + (root / "proc/meminfo").string());
  }
  if (cg.memory_limit && (mem.total_bytes == 0 || *cg.memory_limit < mem.total_bytes)) {
    mem.cgroup_limit_bytes = cg.memory_limit;
    std::uint64_t used = cg.memory_usage.value_or(0);
    std::uint64_t room = used < *cg.memory_limit ? *cg.memory_limit - used : 0;
    mem.available_bytes = mem.total_bytes == 0 ? room : std::min(mem.available_bytes, room);
  }
}

}  // namespace

hardware_info detect(const detect_options& opts) {
  hardware_info info;
  const fs::path root(opts.root.empty() ? "/" : opts.root);
  std::error_code ec;
  // Reading the real machine (not canned files): CPUID and affinity describe it too.
  const bool live = fs::equivalent(root, "/", ec);
  try {
    detect_cpu(root, live, info);
    cgroup_view cg = read_cgroups(root);
    info.cpu.cgroup_cpu_limit = cg.cpu_limit;
    detect_memory(root, cg, info);
  } catch (const std::exception& e) {
    info.notes.push_back(std::string("CPU/memory detection failed: ") + e.what());
  }
  if (opts.probe_accelerators) {
    auto nvml = probe_nvml(opts.nvml_library);
    auto rocm = probe_rocm(opts.rocm_libraries);
    for (auto* r : {&nvml, &rocm}) {
      for (auto& d : r->devices) info.accelerators.push_back(std::move(d));
      if (r->note) info.notes.push_back(*r->note);
    }
  }
  return info;
}

bool cpu_info::has(std::string_view feature) const {
  return std::find(simd.begin(), simd.end(), feature) != simd.end();
}

int cpu_info::usable_cores() const {
  int n = std::min(physical_cores, affinity_cores);
  if (cgroup_cpu_limit) n = std::min(n, std::max(1, static_cast<int>(*cgroup_cpu_limit + 0.5)));
  return std::max(n, 1);
}

std::uint64_t memory_info::effective_total_bytes() const {
  return cgroup_limit_bytes ? std::min(total_bytes, *cgroup_limit_bytes) : total_bytes;
}

}  // namespace hf::hw
