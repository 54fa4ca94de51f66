// The body of POST /admin/keys, parsed and validated into the key store's key_spec: 400 for a
// missing name, 422 naming the field for a bad scope, model list or limit.
//   auth::key_spec spec = parse_key_spec(parse_json_object(body));
#pragma once
#include <nlohmann/json.hpp>

#include "auth/key_store.hpp"

namespace hf::api {

auth::key_spec parse_key_spec(const nlohmann::json& body);

}  // namespace hf::api
