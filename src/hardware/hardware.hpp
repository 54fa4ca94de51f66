// What the machine offers: CPU model, topology, SIMD features and caches; memory (with cgroup
// limits); and accelerators found at run time through NVML / ROCm SMI loaded with dlopen.
// Detection never throws: anything it cannot learn becomes a note in the result.
//   hf::hw::hardware_info info = hf::hw::detect();
//   std::cout << hf::hw::to_table(info);  nlohmann::json j = hf::hw::to_json(info);
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hf::hw {

struct cache_sizes {
  std::uint64_t l1d_bytes = 0;  // per instance, as sysfs reports them; 0 when unknown
  std::uint64_t l1i_bytes = 0;
  std::uint64_t l2_bytes = 0;
  std::uint64_t l3_bytes = 0;
};

struct cpu_info {
  std::string model_name;
  std::string vendor;
  std::string architecture;  // "x86_64", "aarch64", ...
  int logical_cores = 0;     // online processors
  int physical_cores = 0;
  int sockets = 0;
  int affinity_cores = 0;  // CPUs this process may run on (sched_getaffinity)
  std::optional<double> cgroup_cpu_limit;  // CPUs granted by a cgroup quota, when one is set
  // SIMD features usable here (CPU and OS support), in a fixed order: "sse4.2", "avx", "avx2",
  // "fma", "f16c", "avx_vnni", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl",
  // "avx512vnni", "avx512bf16", "avx512fp16", "amx-tile", "amx-bf16", "amx-int8"; on ARM
  // "neon", "asimddp", "sve", "sve2", "i8mm", "bf16", "fp16".
  std::vector<std::string> simd;
  cache_sizes caches;

  bool has(std::string_view feature) const;
  // Cores worth using for compute: physical cores, bounded by affinity and the cgroup quota.
  int usable_cores() const;
};

struct memory_info {
  std::uint64_t total_bytes = 0;      // MemTotal
  std::uint64_t available_bytes = 0;  // MemAvailable, bounded by the cgroup's remaining room
  std::optional<std::uint64_t> cgroup_limit_bytes;
  // total_bytes, or the cgroup limit when that is lower.
  std::uint64_t effective_total_bytes() const;
};

struct accelerator_info {
  std::string kind;  // "cuda" (NVML) or "rocm" (ROCm SMI)
  int index = 0;
  std::string name;
  std::uint64_t memory_total_bytes = 0;
  std::uint64_t memory_free_bytes = 0;
  std::string driver_version;      // empty when unknown
  std::string compute_capability;  // "9.0" for CUDA devices; empty when unknown
};

struct hardware_info {
  cpu_info cpu;
  memory_info memory;
  std::vector<accelerator_info> accelerators;  // empty: none found
  std::vector<std::string> notes;              // what could not be detected, and why
};

// Where detection looks; tests point it at a folder of canned /proc and /sys files and at
// libraries that do not exist.
struct detect_options {
  std::string root = "/";  // prefix for /proc/... and /sys/...
  bool probe_accelerators = true;
  std::string nvml_library = "libnvidia-ml.so.1";
  std::vector<std::string> rocm_libraries = {"librocm_smi64.so", "librocm_smi64.so.7", "librocm_smi64.so.6",
                                             "librocm_smi64.so.5", "/opt/rocm/lib/librocm_smi64.so"};
};

hardware_info detect(const detect_options& opts = {});

nlohmann::json to_json(const hardware_info& info);
// Human-readable report for `hfserve hardware`.
std::string to_table(const hardware_info& info);

}  // namespace hf::hw
