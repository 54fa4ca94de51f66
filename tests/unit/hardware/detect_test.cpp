// detect() on this machine, on a folder of canned /proc and /sys files, and with the vendor GPU
// libraries missing.
#include "hardware/hardware.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "hardware/proc_parse.hpp"
#include "hardware/simd.hpp"

namespace hf::hw {
namespace {

namespace fs = std::filesystem;

detect_options without_gpu_libraries() {
  detect_options opts;
  opts.nvml_library = "libnvidia-ml-does-not-exist.so.1";
  opts.rocm_libraries = {"librocm_smi64-does-not-exist.so"};
  return opts;
}

TEST(detect, this_machine_is_sane) {
  hardware_info info = detect();
  EXPECT_GE(info.cpu.logical_cores, 1);
  EXPECT_GE(info.cpu.physical_cores, 1);
  EXPECT_LE(info.cpu.physical_cores, info.cpu.logical_cores);
  EXPECT_GE(info.cpu.sockets, 1);
  EXPECT_GE(info.cpu.affinity_cores, 1);
  EXPECT_GE(info.cpu.usable_cores(), 1);
  EXPECT_FALSE(info.cpu.model_name.empty());
  EXPECT_FALSE(info.cpu.architecture.empty());
  EXPECT_GT(info.memory.total_bytes, 0u);
  EXPECT_GT(info.memory.available_bytes, 0u);
  EXPECT_LE(info.memory.available_bytes, info.memory.total_bytes);
  EXPECT_GT(info.memory.effective_total_bytes(), 0u);
}

TEST(detect, simd_features_agree_with_proc_cpuinfo) {
  std::ifstream in("/proc/cpuinfo");
  if (!in) GTEST_SKIP() << "no /proc/cpuinfo";
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto flags = parse_cpuinfo(text).flags;
  auto simd = detect_simd();
  // The kernel lists a flag when the CPU has it and the kernel enabled it, which is what CPUID +
  // XGETBV (or the hwcaps) tell us.
  for (const auto& [name, flag] : simd_cpuinfo_flags()) {
    bool detected = std::find(simd.begin(), simd.end(), name) != simd.end();
    EXPECT_EQ(detected, flags.count(std::string(flag)) == 1) << name << " vs cpuinfo flag " << flag;
  }
  hardware_info info = detect(without_gpu_libraries());
  EXPECT_EQ(info.cpu.has("avx512f"), flags.count("avx512f") == 1);
}

TEST(detect, missing_gpu_libraries_mean_no_accelerators_and_a_note) {
  hardware_info info = detect(without_gpu_libraries());
  EXPECT_TRUE(info.accelerators.empty());
  ASSERT_GE(info.notes.size(), 2u);
  bool nvml_note = false, rocm_note = false;
  for (const auto& n : info.notes) {
    nvml_note |= n.find("NVML not available") != std::string::npos;
    rocm_note |= n.find("ROCm SMI not available") != std::string::npos;
  }
  EXPECT_TRUE(nvml_note);
  EXPECT_TRUE(rocm_note);
  auto j = to_json(info);
  EXPECT_TRUE(j["accelerators"].is_array());
  EXPECT_TRUE(j["accelerators"].empty());
  EXPECT_NE(to_table(info).find("Accelerators\n  none\n"), std::string::npos);
}

TEST(detect, probing_accelerators_can_be_skipped) {
  detect_options opts;
  opts.probe_accelerators = false;
  hardware_info info = detect(opts);
  EXPECT_TRUE(info.accelerators.empty());
  for (const auto& n : info.notes) EXPECT_EQ(n.find("NVML"), std::string::npos) << n;
}

class canned_root : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "hfserve-hw-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    root_ = templ;
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    fs::path p = root_ / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  hardware_info run() {
    detect_options opts = without_gpu_libraries();
    opts.root = root_.string();
    return detect(opts);
  }
  fs::path root_;
};

TEST_F(canned_root, cgroup_v2_limits_apply) {
  write("proc/cpuinfo",
        "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9654\nphysical id\t: 0\ncore id\t: 0\n"
        "flags\t: sse4_2 avx avx2 fma avx512f avx512bw avx512vl avx512_bf16\n\n"
        "processor\t: 1\nphysical id\t: 0\ncore id\t: 1\n\nprocessor\t: 2\nphysical id\t: 0\ncore id\t: 2\n\n"
        "processor\t: 3\nphysical id\t: 0\ncore id\t: 3\n");
  write("proc/meminfo", "MemTotal: 67108864 kB\nMemAvailable: 60000000 kB\n");
  write("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
  write("sys/fs/cgroup/cgroup.controllers", "cpu memory\n");
  write("sys/fs/cgroup/memory.max", "max\n");
  write("sys/fs/cgroup/kubepods/memory.max", "17179869184\n");  // a parent's 16 GiB limit applies
  write("sys/fs/cgroup/kubepods/pod1/ctr/memory.max", "max\n");
  write("sys/fs/cgroup/kubepods/pod1/ctr/memory.current", "4294967296\n");
  write("sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "200000 100000\n");
  write("sys/devices/system/cpu/cpu0/cache/index0/level", "1\n");
  write("sys/devices/system/cpu/cpu0/cache/index0/type", "Data\n");
  write("sys/devices/system/cpu/cpu0/cache/index0/size", "32K\n");
  write("sys/devices/system/cpu/cpu0/cache/index3/level", "3\n");
  write("sys/devices/system/cpu/cpu0/cache/index3/type", "Unified\n");
  write("sys/devices/system/cpu/cpu0/cache/index3/size", "32768K\n");

  hardware_info info = run();
  EXPECT_EQ(info.cpu.model_name, "AMD EPYC 9654");
  EXPECT_EQ(info.cpu.vendor, "AuthenticAMD");
  EXPECT_EQ(info.cpu.logical_cores, 4);
  EXPECT_EQ(info.cpu.physical_cores, 4);
  EXPECT_EQ(info.cpu.sockets, 1);
  EXPECT_DOUBLE_EQ(info.cpu.cgroup_cpu_limit.value_or(0), 2.0);
  EXPECT_EQ(info.cpu.usable_cores(), 2);
  EXPECT_EQ(info.cpu.simd, (std::vector<std::string>{"sse4.2", "avx", "avx2", "fma", "avx512f", "avx512bw",
                                                     "avx512vl", "avx512bf16"}));
  EXPECT_EQ(info.cpu.caches.l1d_bytes, 32u * 1024);
  EXPECT_EQ(info.cpu.caches.l3_bytes, 32u * 1024 * 1024);
  EXPECT_EQ(info.memory.total_bytes, 67108864ull * 1024);
  EXPECT_EQ(info.memory.cgroup_limit_bytes.value_or(0), 17179869184ull);
  EXPECT_EQ(info.memory.effective_total_bytes(), 17179869184ull);
  EXPECT_EQ(info.memory.available_bytes, 17179869184ull - 4294967296ull);

  auto j = to_json(info);
  EXPECT_EQ(j["cpu"]["usable_cores"], 2);
  EXPECT_EQ(j["memory"]["cgroup_limit_bytes"], 17179869184ull);
  EXPECT_EQ(j["cpu"]["simd"][0], "sse4.2");
  std::string table = to_table(info);
  EXPECT_NE(table.find("AMD EPYC 9654"), std::string::npos);
  EXPECT_NE(table.find("cgroup limit   16 GiB"), std::string::npos) << table;
}

TEST_F(canned_root, cgroup_v1_limits_apply) {
  write("proc/cpuinfo", "processor\t: 0\nmodel name\t: Test CPU\n\nprocessor\t: 1\nmodel name\t: Test CPU\n");
  write("proc/meminfo", "MemTotal: 8388608 kB\nMemAvailable: 8000000 kB\n");
  write("proc/self/cgroup", "5:memory:/docker/abc\n3:cpu,cpuacct:/docker/abc\n0::/\n");
  write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
  write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", "2147483648\n");
  write("sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes", "1073741824\n");
  write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "50000\n");
  write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
  hardware_info info = run();
  EXPECT_EQ(info.cpu.logical_cores, 2);
  EXPECT_EQ(info.cpu.physical_cores, 2);  // no core ids in the file: one core per processor
  EXPECT_DOUBLE_EQ(info.cpu.cgroup_cpu_limit.value_or(0), 0.5);
  EXPECT_EQ(info.cpu.usable_cores(), 1);
  EXPECT_EQ(info.memory.cgroup_limit_bytes.value_or(0), 2147483648ull);
  EXPECT_EQ(info.memory.available_bytes, 1073741824ull);
}

TEST_F(canned_root, missing_files_become_notes) {
  hardware_info info = run();
  EXPECT_GE(info.cpu.logical_cores, 1);
  EXPECT_EQ(info.cpu.model_name, "unknown");
  EXPECT_EQ(info.memory.total_bytes, 0u);
  bool cpuinfo_note = false;
  for (const auto& n : info.notes) cpuinfo_note |= n.find("proc/cpuinfo") != std::string::npos;
  EXPECT_TRUE(cpuinfo_note);
  EXPECT_NE(to_table(info).find("Notes"), std::string::npos);
}

}  // namespace
}  // namespace hf::hw
