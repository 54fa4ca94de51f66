// A key's record as JSON, for `hfserve keys list --json` and GET /admin/keys: every field but the
// key (which is not stored) and its hash (which never leaves the store).
//   nlohmann::json j = key_json(record);
#pragma once
#include <nlohmann/json.hpp>

#include "auth/key_store.hpp"

namespace hf::auth {

nlohmann::json key_json(const key_record& r);

}  // namespace hf::auth
