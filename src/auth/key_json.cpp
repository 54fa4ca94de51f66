#include "auth/key_json.hpp"

namespace hf::auth {
namespace {
nlohmann::json optional_number(const std::optional<std::int64_t>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}
}  // namespace

nlohmann::json key_json(const key_record& r) {
  return {{"name", r.name},
          {"scope", key_scope_name(r.scope)},
          {"models", r.models},
          {"rpm", optional_number(r.rpm)},
          {"tpm", optional_number(r.tpm)},
          {"created", r.created},
          {"last_used", optional_number(r.last_used)},
          {"revoked", r.revoked}};
}

}  // namespace hf::auth
