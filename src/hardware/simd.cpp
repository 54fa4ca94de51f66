#include "hardware/simd.hpp"

#include <cstdint>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#elif defined(__aarch64__)
#include <sys/auxv.h>
#endif

namespace hf::hw {

const std::vector<std::pair<std::string_view, std::string_view>>& simd_cpuinfo_flags() {
  static const std::vector<std::pair<std::string_view, std::string_view>> flags = {
#if defined(__x86_64__) || defined(__i386__)
      {"sse4.2", "sse4_2"},          {"avx", "avx"},
      {"avx2", "avx2"},              {"fma", "fma"},
      {"f16c", "f16c"},              {"avx_vnni", "avx_vnni"},
      {"avx512f", "avx512f"},        {"avx512dq", "avx512dq"},
      {"avx512cd", "avx512cd"},      {"avx512bw", "avx512bw"},
      {"avx512vl", "avx512vl"},      {"avx512vnni", "avx512_vnni"},
      {"avx512bf16", "avx512_bf16"}, {"avx512fp16", "avx512_fp16"},
      {"amx-tile", "amx_tile"},      {"amx-bf16", "amx_bf16"},
      {"amx-int8", "amx_int8"},
#elif defined(__aarch64__)
      {"neon", "asimd"}, {"asimddp", "asimddp"}, {"fp16", "asimdhp"}, {"sve", "sve"},
      {"sve2", "sve2"},  {"i8mm", "i8mm"},       {"bf16", "bf16"},
#endif
  };
  return flags;
}

#if defined(__x86_64__) || defined(__i386__)

namespace {

bool bit(std::uint32_t reg, int n) { return (reg >> n) & 1u; }

std::uint64_t read_xcr0() {
  std::uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

}  // namespace

std::vector<std::string> detect_simd() {
  std::vector<std::string> out;
  unsigned max_leaf = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(0, &max_leaf, &b, &c, &d) || max_leaf < 1) return out;
  unsigned a1 = 0, b1 = 0, ecx1 = 0, edx1 = 0;
  __get_cpuid(1, &a1, &b1, &ecx1, &edx1);
  // The OS must have enabled saving of the wider registers (XCR0), or the instructions fault.
  const std::uint64_t xcr0 = bit(ecx1, 27) ? read_xcr0() : 0;
  const bool avx_os = (xcr0 & 0x6) == 0x6;
  const bool avx512_os = avx_os && (xcr0 & 0xE0) == 0xE0;
  const bool amx_os = (xcr0 & (3ull << 17)) == (3ull << 17);
  unsigned max_sub7 = 0, ebx7 = 0, ecx7 = 0, edx7 = 0, eax71 = 0, unused = 0;
  if (max_leaf >= 7) {
    __cpuid_count(7, 0, max_sub7, ebx7, ecx7, edx7);
    if (max_sub7 >= 1) __cpuid_count(7, 1, eax71, unused, unused, unused);
  }
  auto add = [&](const char* name, bool present) {
    if (present) out.emplace_back(name);
  };
  add("sse4.2", bit(ecx1, 20));
  add("avx", avx_os && bit(ecx1, 28));
  add("avx2", avx_os && bit(ebx7, 5));
  add("fma", avx_os && bit(ecx1, 12));
  add("f16c", avx_os && bit(ecx1, 29));
  add("avx_vnni", avx_os && bit(eax71, 4));
  add("avx512f", avx512_os && bit(ebx7, 16));
  add("avx512dq", avx512_os && bit(ebx7, 17));
  add("avx512cd", avx512_os && bit(ebx7, 28));
  add("avx512bw", avx512_os && bit(ebx7, 30));
  add("avx512vl", avx512_os && bit(ebx7, 31));
  add("avx512vnni", avx512_os && bit(ecx7, 11));
  add("avx512bf16", avx512_os && bit(eax71, 5));
  add("avx512fp16", avx512_os && bit(edx7, 23));
  add("amx-tile", amx_os && bit(edx7, 24));
  add("amx-bf16", amx_os && bit(edx7, 22));
  add("amx-int8", amx_os && bit(edx7, 25));
  return out;
}

#elif defined(__aarch64__)

std::vector<std::string> detect_simd() {
  // Bit positions of the Linux arm64 hwcaps (asm/hwcap.h), spelled out so that older headers work.
  const unsigned long hw = getauxval(AT_HWCAP);
  const unsigned long hw2 = getauxval(AT_HWCAP2);
  std::vector<std::string> out;
  auto add = [&](const char* name, bool present) {
    if (present) out.emplace_back(name);
  };
  add("neon", hw & (1ul << 1));
  add("asimddp", hw & (1ul << 20));
  add("fp16", hw & (1ul << 10));
  add("sve", hw & (1ul << 22));
  add("sve2", hw2 & (1ul << 1));
  add("i8mm", hw2 & (1ul << 13));
  add("bf16", hw2 & (1ul << 14));
  return out;
}

#else

std::vector<std::string> detect_simd() { return {}; }

#endif

}  // namespace hf::hw
