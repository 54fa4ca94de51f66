#include "hardware/dynlib.hpp"

#include <dlfcn.h>

namespace hf::hw {

std::optional<dynlib> dynlib::open(const std::string& name, std::string& error) {
  // RTLD_LOCAL keeps the vendor library's symbols out of the global namespace.
  void* h = ::dlopen(name.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* msg = ::dlerror();
    error = msg ? msg : name + ": cannot be loaded";
    return std::nullopt;
  }
  return dynlib(h);
}

dynlib::~dynlib() {
  if (handle_) ::dlclose(handle_);
}

void* dynlib::raw_symbol(const char* name) const { return ::dlsym(handle_, name); }

}  // namespace hf::hw
