// Parsers of /proc and cgroup files, on canned text from machines unlike this one.
#include "hardware/proc_parse.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hf::hw {
namespace {

// Two sockets x two cores x two hyper-threads, as Linux prints it for x86.
std::string two_socket_cpuinfo() {
  std::string out;
  int processor = 0;
  for (int socket = 0; socket < 2; ++socket) {
    for (int thread = 0; thread < 2; ++thread) {
      for (int core = 0; core < 2; ++core) {
        out += "processor\t: " + std::to_string(processor++) + "\n";
        out += "vendor_id\t: GenuineIntel\n";
        out += "model name\t: Intel(R) Xeon(R) Platinum 8480+\n";
        out += "physical id\t: " + std::to_string(socket) + "\n";
        out += "siblings\t: 4\n";
        out += "core id\t\t: " + std::to_string(core) + "\n";
        out += "flags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512_vnni amx_tile\n\n";
      }
    }
  }
  return out;
}

TEST(parse_cpuinfo, x86_topology_and_flags) {
  auto s = parse_cpuinfo(two_socket_cpuinfo());
  EXPECT_EQ(s.model_name, "Intel(R) Xeon(R) Platinum 8480+");
  EXPECT_EQ(s.vendor, "GenuineIntel");
  EXPECT_EQ(s.logical_cores, 8);
  EXPECT_EQ(s.physical_cores, 4);
  EXPECT_EQ(s.sockets, 2);
  EXPECT_TRUE(s.flags.count("avx512f"));
  EXPECT_TRUE(s.flags.count("amx_tile"));
  EXPECT_FALSE(s.flags.count("avx512_fp16"));
}

TEST(parse_cpuinfo, arm_without_model_name) {
  const char* text =
      "processor\t: 0\nBogoMIPS\t: 50.00\n"
      "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp asimddp sve\n"
      "CPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x1\nCPU part\t: 0xd40\nCPU revision\t: 1\n\n"
      "processor\t: 1\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\nCPU implementer\t: 0x41\nCPU part\t: 0xd40\n";
  auto s = parse_cpuinfo(text);
  EXPECT_EQ(s.model_name, "ARM Neoverse-V1");
  EXPECT_EQ(s.vendor, "ARM");
  EXPECT_EQ(s.logical_cores, 2);
  EXPECT_EQ(s.physical_cores, 0);  // not in the file; detection falls back to logical cores
  EXPECT_EQ(s.sockets, 0);
  EXPECT_TRUE(s.flags.count("asimddp"));
  EXPECT_TRUE(s.flags.count("sve"));
}

TEST(parse_cpuinfo, empty_text) {
  auto s = parse_cpuinfo("");
  EXPECT_EQ(s.logical_cores, 0);
  EXPECT_TRUE(s.model_name.empty());
}

TEST(parse_meminfo, total_and_available) {
  auto m = parse_meminfo(
      "MemTotal:       32780536 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\n"
      "Buffers:          200000 kB\nCached:          3000000 kB\n");
  EXPECT_EQ(m.total_bytes, 32780536ull * 1024);
  EXPECT_EQ(m.available_bytes, 20000000ull * 1024);
}

TEST(parse_meminfo, old_kernels_without_memavailable) {
  auto m = parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n");
  EXPECT_EQ(m.available_bytes, 420ull * 1024);
}

TEST(parse_proc_self_cgroup, v2_and_v1) {
  auto v2 = parse_proc_self_cgroup("0::/system.slice/hfserve.service\n");
  ASSERT_TRUE(v2.unified);
  EXPECT_EQ(*v2.unified, "/system.slice/hfserve.service");
  EXPECT_FALSE(v2.memory_v1);

  auto v1 = parse_proc_self_cgroup(
      "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n0::/\n");
  EXPECT_EQ(v1.memory_v1.value_or(""), "/docker/abc");
  EXPECT_EQ(v1.cpu_v1.value_or(""), "/docker/abc");
  EXPECT_EQ(v1.unified.value_or(""), "/");
}

TEST(parse_limits, memory) {
  EXPECT_EQ(parse_memory_limit("max\n"), std::nullopt);
  EXPECT_EQ(parse_memory_limit("4294967296\n"), 4294967296ull);
  EXPECT_EQ(parse_memory_limit("9223372036854771712\n"), std::nullopt);  // v1's "unlimited"
  EXPECT_EQ(parse_memory_limit("garbage"), std::nullopt);
}

TEST(parse_limits, cpu) {
  EXPECT_EQ(parse_cpu_max("max 100000\n"), std::nullopt);
  EXPECT_DOUBLE_EQ(parse_cpu_max("150000 100000\n").value_or(0), 1.5);
  EXPECT_DOUBLE_EQ(parse_cpu_max("400000 100000").value_or(0), 4.0);
  EXPECT_EQ(parse_cfs_quota("-1\n", "100000\n"), std::nullopt);
  EXPECT_DOUBLE_EQ(parse_cfs_quota("50000\n", "100000\n").value_or(0), 0.5);
}

TEST(parse_sysfs, cache_sizes_and_cpu_lists) {
  EXPECT_EQ(parse_cache_size("48K\n"), 48u * 1024);
  EXPECT_EQ(parse_cache_size("32M"), 32u * 1024 * 1024);
  EXPECT_EQ(parse_cache_size("512"), 512u);
  EXPECT_EQ(parse_cache_size(""), 0u);
  EXPECT_EQ(count_cpu_list("0-3,8,10-11\n"), 7);
  EXPECT_EQ(count_cpu_list("0"), 1);
  EXPECT_EQ(count_cpu_list(""), 0);
}

}  // namespace
}  // namespace hf::hw
