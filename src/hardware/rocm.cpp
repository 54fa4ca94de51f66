// ROCm SMI through dlopen. Types follow rocm_smi.h: rsmi_status_t is an int-sized enum
// (0 = success), memory type 0 is VRAM, software component 0 is the driver.
#include <cstdint>

#include "hardware/accelerators.hpp"
#include "hardware/dynlib.hpp"

namespace hf::hw {
namespace {

using rsmi_status = int;
constexpr int rsmi_mem_type_vram = 0;
constexpr int rsmi_sw_comp_driver = 0;

// ROCm installs the library under several names; the first that loads wins.
std::optional<dynlib> open_first(const std::vector<std::string>& names, std::string& used, std::string& first_error) {
  for (const auto& name : names) {
    std::string error;
    if (auto lib = dynlib::open(name, error)) {
      used = name;
      return lib;
    }
    if (first_error.empty()) first_error = error;
  }
  return std::nullopt;
}

}  // namespace

probe_result probe_rocm(const std::vector<std::string>& libraries) {
  probe_result out;
  std::string first_error;
  std::string used;
  auto lib = open_first(libraries, used, first_error);
  if (!lib) {
    out.note = "ROCm SMI not available: " + (first_error.empty() ? std::string("no library name given") : first_error);
    return out;
  }
  auto init = lib->symbol<rsmi_status (*)(std::uint64_t)>("rsmi_init");
  auto shut_down = lib->symbol<rsmi_status (*)()>("rsmi_shut_down");
  auto num_devices = lib->symbol<rsmi_status (*)(std::uint32_t*)>("rsmi_num_monitor_devices");
  auto name_get = lib->symbol<rsmi_status (*)(std::uint32_t, char*, std::size_t)>("rsmi_dev_name_get");
  auto mem_total = lib->symbol<rsmi_status (*)(std::uint32_t, int, std::uint64_t*)>("rsmi_dev_memory_total_get");
  auto mem_used = lib->symbol<rsmi_status (*)(std::uint32_t, int, std::uint64_t*)>("rsmi_dev_memory_usage_get");
  auto version_get = lib->symbol<rsmi_status (*)(int, char*, std::uint32_t)>("rsmi_version_str_get");
  if (!init || !shut_down || !num_devices) {
    out.note = "ROCm SMI (" + used + ") lacks rsmi_init/rsmi_num_monitor_devices";
    return out;
  }
  if (rsmi_status rc = init(0); rc != 0) {
    out.note = "ROCm SMI init failed: status " + std::to_string(rc);
    return out;
  }
  std::string driver;
  if (version_get) {
    char buf[96] = {};
    if (version_get(rsmi_sw_comp_driver, buf, sizeof buf) == 0) driver = buf;
  }
  std::uint32_t count = 0;
  if (rsmi_status rc = num_devices(&count); rc != 0) {
    out.note = "ROCm SMI device count failed: status " + std::to_string(rc);
    count = 0;
  }
  for (std::uint32_t i = 0; i < count; ++i) {
    accelerator_info info;
    info.kind = "rocm";
    info.index = static_cast<int>(i);
    info.driver_version = driver;
    if (name_get) {
      char name[128] = {};
      if (name_get(i, name, sizeof name) == 0) info.name = name;
    }
    std::uint64_t total = 0, used_bytes = 0;
    if (mem_total && mem_total(i, rsmi_mem_type_vram, &total) == 0) {
      info.memory_total_bytes = total;
      if (mem_used && mem_used(i, rsmi_mem_type_vram, &used_bytes) == 0 && used_bytes <= total)
        info.memory_free_bytes = total - used_bytes;
    }
    out.devices.push_back(std::move(info));
  }
  shut_down();
  return out;
}

}  // namespace hf::hw
