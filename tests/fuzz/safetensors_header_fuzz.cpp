// Fuzzes the safetensors reader on whole file images (the 8-byte length, the JSON header, the
// data section). A malformed file must fail with model_error only; an accepted header must
// describe tensors that lie inside the file and whose byte ranges match dtype x shape, because
// the engine then reads those bytes in place through mmap without further checks.
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/errors.hpp"
#include "engine/weights/dtype.hpp"
#include "engine/weights/safetensors.hpp"
#include "fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hf::engine;
  const std::span<const std::byte> file(reinterpret_cast<const std::byte*>(data), size);
  safetensors_header h;
  try {
    h = parse_safetensors_header(file, "fuzz.safetensors");
  } catch (const model_error&) {
    return 0;
  }
  FUZZ_CHECK(h.data_start >= 8 && h.data_start <= size, "the data section starts outside the file");
  const std::size_t data_bytes = size - h.data_start;
  for (std::size_t i = 0; i < h.tensors.size(); ++i) {
    const tensor_info& t = h.tensors[i];
    if (i > 0) FUZZ_CHECK(h.tensors[i - 1].name < t.name, "tensors are not sorted by unique name");
    FUZZ_CHECK(t.begin <= t.end && t.end <= data_bytes, "a tensor lies outside the data section");
    std::size_t elements = 1;
    for (std::size_t d : t.shape) elements *= d;
    FUZZ_CHECK(t.end - t.begin == elements * dtype_size(t.type),
               "a tensor's byte range does not match its dtype and shape");
  }
  return 0;
}
