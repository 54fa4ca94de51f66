// API keys: "hf_" + 32 bytes from the OS CSPRNG in base62 (43 characters), as OpenAI's "sk-..."
// and GitHub's tokens look. Only a key's SHA-256 is ever stored; lookups hash the presented key
// and compare digests in constant time, so neither the database nor timing reveals a key.
//   std::string key = generate_api_key();          // shown to the user once
//   std::string digest = hash_api_key(key);        // 64 hex digits, what the store keeps
//   if (!looks_like_api_key(header_value)) ...     // 401 "malformed" before any lookup
#pragma once
#include <string>
#include <string_view>

namespace hf::auth {

inline constexpr std::string_view k_key_prefix = "hf_";

std::string generate_api_key();
std::string hash_api_key(std::string_view key);
bool looks_like_api_key(std::string_view text);
// Equal length and bytes, in time that depends on the length only.
bool equal_constant_time(std::string_view a, std::string_view b);

}  // namespace hf::auth
