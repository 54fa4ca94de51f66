// hfserve version string, from CMake's project(VERSION). Usage: hf::version() -> "0.1.0".
#pragma once
#include <string_view>

namespace hf {
inline constexpr std::string_view version() { return "0.1.0"; }
}  // namespace hf
