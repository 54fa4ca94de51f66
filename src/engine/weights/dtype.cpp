#include "engine/weights/dtype.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>
#include <string>

namespace hf::engine {
namespace {
struct dtype_entry {
  dtype type;
  std::string_view name;
  size_t size;
};
constexpr std::array<dtype_entry, 12> k_dtypes{{
    {dtype::f64, "F64", 8},      {dtype::f32, "F32", 4},      {dtype::f16, "F16", 2},
    {dtype::bf16, "BF16", 2},    {dtype::i64, "I64", 8},      {dtype::i32, "I32", 4},
    {dtype::i16, "I16", 2},      {dtype::i8, "I8", 1},        {dtype::u8, "U8", 1},
    {dtype::boolean, "BOOL", 1}, {dtype::f8_e4m3, "F8_E4M3", 1}, {dtype::f8_e5m2, "F8_E5M2", 1},
}};
}  // namespace

std::optional<dtype> parse_dtype(std::string_view name) {
  for (const auto& e : k_dtypes)
    if (e.name == name) return e.type;
  return std::nullopt;
}

std::string_view dtype_name(dtype t) {
  for (const auto& e : k_dtypes)
    if (e.type == t) return e.name;
  return "?";
}

size_t dtype_size(dtype t) {
  for (const auto& e : k_dtypes)
    if (e.type == t) return e.size;
  return 0;
}

bool is_float_convertible(dtype t) { return t == dtype::f32 || t == dtype::f16 || t == dtype::bf16; }

float f16_to_f32(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  uint32_t bits;
  if (exp == 0) {
    if (mant == 0) {
      bits = sign;
    } else {  // subnormal: normalise the mantissa
      exp = 127 - 15 + 1;
      while ((mant & 0x400u) == 0) {
        mant <<= 1;
        --exp;
      }
      mant &= 0x3ffu;
      bits = sign | (exp << 23) | (mant << 13);
    }
  } else if (exp == 0x1f) {
    bits = sign | 0x7f800000u | (mant << 13);  // inf / nan
  } else {
    bits = sign | ((exp + 127 - 15) << 23) | (mant << 13);
  }
  return std::bit_cast<float>(bits);
}

float bf16_to_f32(uint16_t b) { return std::bit_cast<float>(static_cast<uint32_t>(b) << 16); }

uint16_t f32_to_bf16(float f) {
  uint32_t bits = std::bit_cast<uint32_t>(f);
  if ((bits & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((bits >> 16) | 0x40u);  // nan
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

uint16_t f32_to_f16(float f) {
  const uint32_t bits = std::bit_cast<uint32_t>(f);
  const uint16_t sign = static_cast<uint16_t>((bits >> 16) & 0x8000u);
  const uint32_t abs = bits & 0x7fffffffu;
  if (abs > 0x7f800000u) return static_cast<uint16_t>(sign | 0x7e00u);  // nan
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // overflow -> inf
  if (abs < 0x38800000u) {  // below the smallest normal half: subnormal or zero
    const float scaled = std::bit_cast<float>(abs) * 16777216.0f;  // 2^24: units of the smallest subnormal
    const auto q = static_cast<uint32_t>(scaled);
    const float rem = scaled - static_cast<float>(q);
    uint32_t r = q;
    if (rem > 0.5f || (rem == 0.5f && (q & 1u))) ++r;
    return static_cast<uint16_t>(sign | r);
  }
  uint32_t m = abs - ((127u - 15u) << 23);
  m += 0xfffu + ((m >> 13) & 1u);
  return static_cast<uint16_t>(sign | (m >> 13));
}

void convert_to_f32(dtype t, std::span<const std::byte> bytes, std::span<float> out) {
  const std::byte* p = bytes.data();
  switch (t) {
    case dtype::f32:
      std::memcpy(out.data(), p, out.size() * sizeof(float));
      return;
    case dtype::f16:
    case dtype::bf16:
      for (size_t i = 0; i < out.size(); ++i) {
        uint16_t v;
        std::memcpy(&v, p + 2 * i, 2);
        out[i] = t == dtype::f16 ? f16_to_f32(v) : bf16_to_f32(v);
      }
      return;
    default:
      throw std::logic_error("convert_to_f32: " + std::string(dtype_name(t)) + " is not a float type");
  }
}

}  // namespace hf::engine
