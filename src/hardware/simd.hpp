// SIMD features the CPU and the OS both support, read with CPUID/XGETBV on x86 (AVX needs the
// OS to save YMM state, AVX-512 the ZMM/opmask state, AMX the tile state) and from the auxiliary
// vector's hwcaps on ARM.
//   for (auto& f : detect_simd()) std::cout << f << ' ';   // "sse4.2 avx avx2 fma ..."
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hf::hw {

std::vector<std::string> detect_simd();

// Each feature name detect_simd() may report, with the flag /proc/cpuinfo uses for it
// ("sse4.2" -> "sse4_2", "amx-tile" -> "amx_tile", "neon" -> "asimd"), for cross-checks.
const std::vector<std::pair<std::string_view, std::string_view>>& simd_cpuinfo_flags();

}  // namespace hf::hw
