// A shared library opened with dlopen at run time, closed when the object dies. Used to reach
// vendor libraries (NVML, ROCm SMI) that may or may not be installed, without linking to them.
//   std::string why;
//   if (auto lib = dynlib::open("libnvidia-ml.so.1", why)) auto f = lib->symbol<int (*)()>("nvmlInit_v2");
#pragma once
#include <cstring>
#include <optional>
#include <string>

namespace hf::hw {

class dynlib {
 public:
  // nullopt (and the loader's message in `error`) when the library cannot be loaded.
  static std::optional<dynlib> open(const std::string& name, std::string& error);

  dynlib(dynlib&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  dynlib& operator=(dynlib&&) = delete;
  dynlib(const dynlib&) = delete;
  dynlib& operator=(const dynlib&) = delete;
  ~dynlib();

  // The function, or nullptr when the library does not export it.
  template <class Fn>
  Fn symbol(const char* name) const {
    void* p = raw_symbol(name);
    Fn fn = nullptr;
    static_assert(sizeof(fn) == sizeof(p));
    std::memcpy(&fn, &p, sizeof p);  // object-to-function pointer, as dlsym requires
    return fn;
  }

 private:
  explicit dynlib(void* handle) : handle_(handle) {}
  void* raw_symbol(const char* name) const;
  void* handle_;
};

}  // namespace hf::hw
