// Parsers for the text files hardware detection reads: /proc/cpuinfo, /proc/meminfo,
// /proc/self/cgroup, cgroup v1/v2 limit files and sysfs cache sizes. They take text, so tests can
// feed canned files from other machines.
//   auto topo = parse_cpuinfo(read_file("/proc/cpuinfo"));  topo.logical_cores == 16
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace hf::hw {

struct cpuinfo_summary {
  std::string model_name;  // "model name" (x86) or a description built from ARM's ids
  std::string vendor;      // "vendor_id" or the ARM implementer
  int logical_cores = 0;   // "processor" entries
  int physical_cores = 0;  // distinct (physical id, core id); 0 when the file does not say
  int sockets = 0;         // distinct physical ids; 0 when the file does not say
  std::set<std::string> flags;  // x86 "flags" or ARM "Features" of the first processor
};
cpuinfo_summary parse_cpuinfo(std::string_view text);

struct meminfo_summary {
  std::uint64_t total_bytes = 0;
  std::uint64_t available_bytes = 0;  // MemAvailable, else MemFree + Buffers + Cached
};
meminfo_summary parse_meminfo(std::string_view text);

// /proc/self/cgroup: the unified (v2) path from "0::/path", and the v1 paths of the memory and
// cpu controllers ("4:memory:/path", "1:cpu,cpuacct:/path").
struct cgroup_paths {
  std::optional<std::string> unified;
  std::optional<std::string> memory_v1;
  std::optional<std::string> cpu_v1;
};
cgroup_paths parse_proc_self_cgroup(std::string_view text);

// A byte count from memory.max / memory.limit_in_bytes / memory.current; nullopt for "max" and for
// the huge values v1 uses to mean "no limit".
std::optional<std::uint64_t> parse_memory_limit(std::string_view text);
// cgroup v2 cpu.max ("150000 100000" -> 1.5 CPUs, "max 100000" -> none).
std::optional<double> parse_cpu_max(std::string_view text);
// cgroup v1 cpu.cfs_quota_us and cpu.cfs_period_us (quota -1 -> none).
std::optional<double> parse_cfs_quota(std::string_view quota, std::string_view period);
// sysfs cache "size" ("48K", "2048K", "32M") in bytes; 0 when unreadable.
std::uint64_t parse_cache_size(std::string_view text);
// Number of CPUs in a list such as "0-3,8,10-11" (sysfs "online", cpuset.cpus).
int count_cpu_list(std::string_view text);

}  // namespace hf::hw
