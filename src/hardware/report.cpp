// to_json for the server's /status and to_table for `hfserve hardware`.
#include <cstdio>
#include <sstream>

#include "hardware/hardware.hpp"

namespace hf::hw {
namespace {

std::string human_bytes(std::uint64_t bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024.0 && u < 4) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  if (u == 0 || v >= 100.0 || v == static_cast<double>(static_cast<std::uint64_t>(v)))
    std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

std::string join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

}  // namespace

nlohmann::json to_json(const hardware_info& info) {
  const auto& c = info.cpu;
  nlohmann::json cpu = {
      {"model", c.model_name},
      {"vendor", c.vendor},
      {"architecture", c.architecture},
      {"logical_cores", c.logical_cores},
      {"physical_cores", c.physical_cores},
      {"sockets", c.sockets},
      {"affinity_cores", c.affinity_cores},
      {"cgroup_cpu_limit", c.cgroup_cpu_limit ? nlohmann::json(*c.cgroup_cpu_limit) : nlohmann::json(nullptr)},
      {"usable_cores", c.usable_cores()},
      {"simd", c.simd},
      {"caches",
       {{"l1d_bytes", c.caches.l1d_bytes},
        {"l1i_bytes", c.caches.l1i_bytes},
        {"l2_bytes", c.caches.l2_bytes},
        {"l3_bytes", c.caches.l3_bytes}}},
  };
  const auto& m = info.memory;
  nlohmann::json memory = {
      {"total_bytes", m.total_bytes},
      {"available_bytes", m.available_bytes},
      {"cgroup_limit_bytes", m.cgroup_limit_bytes ? nlohmann::json(*m.cgroup_limit_bytes) : nlohmann::json(nullptr)},
      {"effective_total_bytes", m.effective_total_bytes()},
  };
  nlohmann::json accelerators = nlohmann::json::array();
  for (const auto& a : info.accelerators) {
    accelerators.push_back({{"kind", a.kind},
                            {"index", a.index},
                            {"name", a.name},
                            {"memory_total_bytes", a.memory_total_bytes},
                            {"memory_free_bytes", a.memory_free_bytes},
                            {"driver_version", a.driver_version},
                            {"compute_capability", a.compute_capability}});
  }
  return {{"cpu", cpu}, {"memory", memory}, {"accelerators", accelerators}, {"notes", info.notes}};
}

std::string to_table(const hardware_info& info) {
  std::ostringstream out;
  const auto& c = info.cpu;
  auto row = [&](const char* label, const std::string& value) { out << "  " << pad(label, 15) << value << "\n"; };
  out << "CPU\n";
  row("Model", c.model_name + (c.vendor.empty() ? "" : " (" + c.vendor + ")"));
  row("Architecture", c.architecture);
  row("Cores", std::to_string(c.physical_cores) + " physical, " + std::to_string(c.logical_cores) + " logical, " +
                   std::to_string(c.sockets) + " socket(s)");
  std::string usable = std::to_string(c.usable_cores()) + " (affinity " + std::to_string(c.affinity_cores);
  if (c.cgroup_cpu_limit) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", *c.cgroup_cpu_limit);
    usable += std::string(", cgroup quota ") + buf;
  }
  row("Usable cores", usable + ")");
  row("SIMD", c.simd.empty() ? "none detected" : join(c.simd, " "));
  std::vector<std::string> caches;
  if (c.caches.l1d_bytes) caches.push_back("L1d " + human_bytes(c.caches.l1d_bytes));
  if (c.caches.l1i_bytes) caches.push_back("L1i " + human_bytes(c.caches.l1i_bytes));
  if (c.caches.l2_bytes) caches.push_back("L2 " + human_bytes(c.caches.l2_bytes));
  if (c.caches.l3_bytes) caches.push_back("L3 " + human_bytes(c.caches.l3_bytes));
  row("Caches", caches.empty() ? "unknown" : join(caches, ", "));

  const auto& m = info.memory;
  out << "Memory\n";
  row("Total", human_bytes(m.total_bytes));
  row("Available", human_bytes(m.available_bytes));
  row("cgroup limit", m.cgroup_limit_bytes ? human_bytes(*m.cgroup_limit_bytes) : "none");

  out << "Accelerators\n";
  if (info.accelerators.empty()) {
    out << "  none\n";
  } else {
    out << "  " << pad("#", 4) << pad("Kind", 6) << pad("Name", 28) << pad("Memory", 12) << pad("Free", 12)
        << pad("Driver", 14) << "Compute\n";
    for (const auto& a : info.accelerators) {
      out << "  " << pad(std::to_string(a.index), 4) << pad(a.kind, 6) << pad(a.name, 28)
          << pad(human_bytes(a.memory_total_bytes), 12) << pad(human_bytes(a.memory_free_bytes), 12)
          << pad(a.driver_version.empty() ? "-" : a.driver_version, 14)
          << (a.compute_capability.empty() ? "-" : a.compute_capability) << "\n";
    }
  }
  if (!info.notes.empty()) {
    out << "Notes\n";
    for (const auto& n : info.notes) out << "  - " << n << "\n";
  }
  return out.str();
}

}  // namespace hf::hw
