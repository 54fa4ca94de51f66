// Element types that can appear in a safetensors file, and conversion of the floating ones to f32.
// Compute is float32 everywhere; F16/BF16 weights are widened once at load time.
// Usage: auto t = parse_dtype("BF16"); convert_to_f32(t, bytes, out_span);
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace hf::engine {

enum class dtype { f64, f32, f16, bf16, i64, i32, i16, i8, u8, boolean, f8_e4m3, f8_e5m2 };

std::optional<dtype> parse_dtype(std::string_view name);  // "F32" -> dtype::f32; unknown -> nullopt
std::string_view dtype_name(dtype t);                     // dtype::f32 -> "F32"
size_t dtype_size(dtype t);                               // bytes per element
bool is_float_convertible(dtype t);                       // F32, F16, BF16

float f16_to_f32(uint16_t h);
float bf16_to_f32(uint16_t b);
uint16_t f32_to_f16(float f);   // round to nearest even
uint16_t f32_to_bf16(float f);  // round to nearest even

// Converts `bytes` (little-endian elements of type t, possibly unaligned) into `out`.
// Precondition: is_float_convertible(t) and out.size() * dtype_size(t) == bytes.size().
void convert_to_f32(dtype t, std::span<const std::byte> bytes, std::span<float> out);

}  // namespace hf::engine
