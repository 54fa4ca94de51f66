#include "hardware/proc_parse.hpp"

#include <charconv>
#include <cstdlib>
#include <map>
#include <utility>

namespace hf::hw {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Calls f(line) for each line of text.
template <class F>
void for_each_line(std::string_view text, F&& f) {
  while (!text.empty()) {
    auto nl = text.find('\n');
    f(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
}

// "key<tabs/spaces>: value" -> (key, value), both trimmed.
std::pair<std::string_view, std::string_view> split_key_value(std::string_view line) {
  auto colon = line.find(':');
  if (colon == std::string_view::npos) return {trim(line), {}};
  return {trim(line.substr(0, colon)), trim(line.substr(colon + 1))};
}

std::optional<std::uint64_t> to_u64(std::string_view s) {
  s = trim(s);
  std::uint64_t v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || s.empty()) return std::nullopt;
  return v;
}

std::optional<double> to_double(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  std::string copy(s);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size()) return std::nullopt;
  return v;
}

std::string arm_vendor(std::string_view implementer) {
  static const std::map<std::string_view, std::string_view> implementers = {
      {"0x41", "ARM"}, {"0x42", "Broadcom"}, {"0x48", "HiSilicon"}, {"0x4e", "NVIDIA"},
      {"0x50", "APM"}, {"0x51", "Qualcomm"}, {"0x61", "Apple"},     {"0xc0", "Ampere"}};
  auto it = implementers.find(implementer);
  return it != implementers.end() ? std::string(it->second) : "ARM implementer " + std::string(implementer);
}

// ARM kernels often print no "model name"; describe the core from its implementer and part ids.
std::string arm_model(std::string_view implementer, std::string_view part) {
  static const std::map<std::string_view, std::string_view> arm_parts = {
      {"0xd03", "Cortex-A53"},  {"0xd07", "Cortex-A57"},  {"0xd08", "Cortex-A72"},  {"0xd0b", "Cortex-A76"},
      {"0xd0c", "Neoverse-N1"}, {"0xd40", "Neoverse-V1"}, {"0xd49", "Neoverse-N2"}, {"0xd4f", "Neoverse-V2"},
      {"0xd8e", "Neoverse-N3"}, {"0xd84", "Neoverse-V3"}};
  std::string out = arm_vendor(implementer);
  if (implementer == "0x41") {
    auto p = arm_parts.find(part);
    if (p != arm_parts.end()) return out + " " + std::string(p->second);
  }
  if (!part.empty()) out += " part " + std::string(part);
  return out;
}

}  // namespace

cpuinfo_summary parse_cpuinfo(std::string_view text) {
  cpuinfo_summary out;
  std::set<std::pair<std::string, std::string>> cores;  // (physical id, core id)
  std::set<std::string> packages;
  std::string physical_id, implementer, part, hardware;
  bool flags_done = false;
  for_each_line(text, [&](std::string_view line) {
    auto [key, value] = split_key_value(line);
    if (key == "processor") {
      ++out.logical_cores;
      physical_id.clear();
    } else if (key == "model name" || key == "Model Name" || key == "cpu model") {
      if (out.model_name.empty()) out.model_name = value;
    } else if (key == "vendor_id") {
      if (out.vendor.empty()) out.vendor = value;
    } else if (key == "physical id") {
      physical_id = value;
      packages.insert(physical_id);
    } else if (key == "core id") {
      cores.emplace(physical_id, std::string(value));
    } else if ((key == "flags" || key == "Features") && !flags_done) {
      flags_done = true;  // every processor lists the same flags; the first one is enough
      std::string_view rest = value;
      while (!rest.empty()) {
        auto sp = rest.find(' ');
        auto word = rest.substr(0, sp);
        if (!word.empty()) out.flags.emplace(word);
        if (sp == std::string_view::npos) break;
        rest.remove_prefix(sp + 1);
      }
    } else if (key == "CPU implementer" && implementer.empty()) {
      implementer = value;
    } else if (key == "CPU part" && part.empty()) {
      part = value;
    } else if (key == "Hardware" && hardware.empty()) {
      hardware = value;
    }
  });
  out.physical_cores = static_cast<int>(cores.size());
  out.sockets = static_cast<int>(packages.size());
  if (out.model_name.empty() && !implementer.empty()) {
    out.model_name = arm_model(implementer, part);
    if (out.vendor.empty()) out.vendor = arm_vendor(implementer);
  }
  if (out.model_name.empty()) out.model_name = hardware;
  return out;
}

meminfo_summary parse_meminfo(std::string_view text) {
  std::map<std::string, std::uint64_t, std::less<>> kb;
  for_each_line(text, [&](std::string_view line) {
    auto [key, value] = split_key_value(line);
    if (value.ends_with("kB")) value = trim(value.substr(0, value.size() - 2));
    if (auto v = to_u64(value)) kb[std::string(key)] = *v;
  });
  auto get = [&](std::string_view k) -> std::uint64_t {
    auto it = kb.find(k);
    return it == kb.end() ? 0 : it->second * 1024;
  };
  meminfo_summary out;
  out.total_bytes = get("MemTotal");
  out.available_bytes = kb.count("MemAvailable") ? get("MemAvailable") : get("MemFree") + get("Buffers") + get("Cached");
  return out;
}

cgroup_paths parse_proc_self_cgroup(std::string_view text) {
  cgroup_paths out;
  for_each_line(text, [&](std::string_view line) {
    // hierarchy-id:controller-list:path
    auto first = line.find(':');
    if (first == std::string_view::npos) return;
    auto second = line.find(':', first + 1);
    if (second == std::string_view::npos) return;
    auto id = line.substr(0, first);
    auto controllers = line.substr(first + 1, second - first - 1);
    std::string path(trim(line.substr(second + 1)));
    if (id == "0" && controllers.empty()) {
      out.unified = path;
      return;
    }
    std::string_view rest = controllers;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto c = rest.substr(0, comma);
      if (c == "memory") out.memory_v1 = path;
      if (c == "cpu") out.cpu_v1 = path;
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  });
  return out;
}

std::optional<std::uint64_t> parse_memory_limit(std::string_view text) {
  text = trim(text);
  if (text == "max") return std::nullopt;
  auto v = to_u64(text);
  // cgroup v1 says "no limit" with a page-rounded LONG_MAX; nothing real is that large.
  if (!v || *v >= (std::uint64_t{1} << 60)) return std::nullopt;
  return v;
}

std::optional<double> parse_cpu_max(std::string_view text) {
  text = trim(text);
  auto sp = text.find(' ');
  if (sp == std::string_view::npos) return std::nullopt;
  auto quota = text.substr(0, sp);
  if (quota == "max") return std::nullopt;
  auto q = to_double(quota);
  auto p = to_double(text.substr(sp + 1));
  if (!q || !p || *p <= 0 || *q <= 0) return std::nullopt;
  return *q / *p;
}

std::optional<double> parse_cfs_quota(std::string_view quota, std::string_view period) {
  auto q = to_double(quota);
  auto p = to_double(period);
  if (!q || !p || *q <= 0 || *p <= 0) return std::nullopt;
  return *q / *p;
}

std::uint64_t parse_cache_size(std::string_view text) {
  text = trim(text);
  std::uint64_t mult = 1;
  if (!text.empty()) {
    char unit = text.back();
    if (unit == 'K' || unit == 'k') mult = 1024;
    else if (unit == 'M' || unit == 'm') mult = 1024 * 1024;
    else if (unit == 'G' || unit == 'g') mult = 1024ull * 1024 * 1024;
    if (mult != 1) text.remove_suffix(1);
  }
  auto v = to_u64(text);
  return v ? *v * mult : 0;
}

int count_cpu_list(std::string_view text) {
  text = trim(text);
  int n = 0;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = trim(text.substr(0, comma));
    auto dash = part.find('-');
    auto lo = to_u64(part.substr(0, dash));
    auto hi = dash == std::string_view::npos ? lo : to_u64(part.substr(dash + 1));
    if (lo && hi && *hi >= *lo) n += static_cast<int>(*hi - *lo + 1);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return n;
}

}  // namespace hf::hw
