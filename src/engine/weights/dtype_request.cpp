#include "engine/weights/dtype_request.hpp"

namespace hf::engine {

std::optional<dtype_request> dtype_request::parse(std::string_view s) {
  if (s == "auto") return dtype_request{};
  if (auto t = parse_weight_type(s)) return dtype_request{t};
  return std::nullopt;
}

std::string dtype_request::name() const {
  return type ? std::string(weight_type_name(*type)) : "auto";
}

weight_type dtype_request::resolve(dtype stored) const {
  if (type) return *type;
  if (stored == dtype::bf16) return weight_type::bf16;
  if (stored == dtype::f16) return weight_type::f16;
  return weight_type::f32;
}

}  // namespace hf::engine
