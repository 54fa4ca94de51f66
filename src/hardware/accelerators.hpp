// Accelerators found at run time: NVIDIA GPUs through NVML and AMD GPUs through ROCm SMI, both
// loaded with dlopen so that hfserve runs (and reports "none") where no driver is installed.
//   auto found = probe_nvml("libnvidia-ml.so.1");  // found.devices, found.note
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"

namespace hf::hw {

struct probe_result {
  std::vector<accelerator_info> devices;
  std::optional<std::string> note;  // why nothing (or not everything) could be read
};

probe_result probe_nvml(const std::string& library);
probe_result probe_rocm(const std::vector<std::string>& libraries);

}  // namespace hf::hw
