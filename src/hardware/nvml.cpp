// NVML through dlopen. The few NVML types used are declared here with NVML's documented layouts
// (nvmlReturn_t is an int-sized enum, 0 = success; nvmlMemory_t is three unsigned long longs).
#include <cstdint>

#include "hardware/accelerators.hpp"
#include "hardware/dynlib.hpp"

namespace hf::hw {
namespace {

using nvml_return = int;
using nvml_device = struct nvml_device_opaque*;
struct nvml_memory {
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};

struct nvml_api {
  nvml_return (*init)() = nullptr;
  nvml_return (*shutdown)() = nullptr;
  const char* (*error_string)(nvml_return) = nullptr;
  nvml_return (*device_count)(unsigned*) = nullptr;
  nvml_return (*device_by_index)(unsigned, nvml_device*) = nullptr;
  nvml_return (*device_name)(nvml_device, char*, unsigned) = nullptr;
  nvml_return (*memory_info)(nvml_device, nvml_memory*) = nullptr;
  nvml_return (*driver_version)(char*, unsigned) = nullptr;
  nvml_return (*compute_capability)(nvml_device, int*, int*) = nullptr;
};

std::string describe(const nvml_api& api, nvml_return rc) {
  const char* s = api.error_string ? api.error_string(rc) : nullptr;
  return s ? std::string(s) : "error " + std::to_string(rc);
}

}  // namespace

probe_result probe_nvml(const std::string& library) {
  probe_result out;
  std::string error;
  auto lib = dynlib::open(library, error);
  if (!lib) {
    out.note = "NVML not available: " + error;
    return out;
  }
  nvml_api api;
  api.init = lib->symbol<decltype(api.init)>("nvmlInit_v2");
  api.shutdown = lib->symbol<decltype(api.shutdown)>("nvmlShutdown");
  api.error_string = lib->symbol<decltype(api.error_string)>("nvmlErrorString");
  api.device_count = lib->symbol<decltype(api.device_count)>("nvmlDeviceGetCount_v2");
  api.device_by_index = lib->symbol<decltype(api.device_by_index)>("nvmlDeviceGetHandleByIndex_v2");
  api.device_name = lib->symbol<decltype(api.device_name)>("nvmlDeviceGetName");
  api.memory_info = lib->symbol<decltype(api.memory_info)>("nvmlDeviceGetMemoryInfo");
  api.driver_version = lib->symbol<decltype(api.driver_version)>("nvmlSystemGetDriverVersion");
  api.compute_capability = lib->symbol<decltype(api.compute_capability)>("nvmlDeviceGetCudaComputeCapability");
  if (!api.init || !api.shutdown || !api.device_count || !api.device_by_index) {
    out.note = "NVML (" + library + ") lacks nvmlInit_v2/nvmlDeviceGetCount_v2; driver too old";
    return out;
  }
  if (nvml_return rc = api.init(); rc != 0) {
    out.note = "NVML init failed: " + describe(api, rc);
    return out;
  }
  std::string driver;
  if (api.driver_version) {
    char buf[96] = {};
    if (api.driver_version(buf, sizeof buf) == 0) driver = buf;
  }
  unsigned count = 0;
  if (nvml_return rc = api.device_count(&count); rc != 0) {
    out.note = "NVML device count failed: " + describe(api, rc);
    count = 0;
  }
  for (unsigned i = 0; i < count; ++i) {
    nvml_device dev = nullptr;
    if (nvml_return rc = api.device_by_index(i, &dev); rc != 0) {
      out.note = "NVML device " + std::to_string(i) + ": " + describe(api, rc);
      continue;
    }
    accelerator_info info;
    info.kind = "cuda";
    info.index = static_cast<int>(i);
    info.driver_version = driver;
    if (api.device_name) {
      char name[128] = {};
      if (api.device_name(dev, name, sizeof name) == 0) info.name = name;
    }
    if (api.memory_info) {
      nvml_memory mem{};
      if (api.memory_info(dev, &mem) == 0) {
        info.memory_total_bytes = mem.total;
        info.memory_free_bytes = mem.free;
      }
    }
    if (api.compute_capability) {
      int major = 0, minor = 0;
      if (api.compute_capability(dev, &major, &minor) == 0)
        info.compute_capability = std::to_string(major) + "." + std::to_string(minor);
    }
    out.devices.push_back(std::move(info));
  }
  api.shutdown();
  return out;
}

}  // namespace hf::hw
