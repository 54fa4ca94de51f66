#include "auth/api_key.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace hf::auth {
namespace {

constexpr std::string_view k_base62 =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t k_key_bytes = 32;
constexpr std::size_t k_key_digits = 43;  // ceil(256 / log2(62))

// The bytes as one big-endian number written in base 62, padded to a fixed width so that every
// key has the same length.
std::string base62(std::array<unsigned char, k_key_bytes> n) {
  std::string out(k_key_digits, '0');
  for (std::size_t pos = k_key_digits; pos-- > 0;) {
    unsigned remainder = 0;
    for (auto& byte : n) {  // n /= 62, long division from the most significant byte
      const unsigned acc = remainder * 256 + byte;
      byte = static_cast<unsigned char>(acc / 62);
      remainder = acc % 62;
    }
    out[pos] = k_base62[remainder];
  }
  return out;
}

}  // namespace

std::string generate_api_key() {
  std::array<unsigned char, k_key_bytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("the system's random number generator failed");
  }
  std::string key = std::string(k_key_prefix) + base62(bytes);
  OPENSSL_cleanse(bytes.data(), bytes.size());
  return key;
}

std::string hash_api_key(std::string_view key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  if (EVP_Digest(key.data(), key.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

bool looks_like_api_key(std::string_view text) {
  if (!text.starts_with(k_key_prefix) || text.size() != k_key_prefix.size() + k_key_digits) {
    return false;
  }
  for (char c : text.substr(k_key_prefix.size())) {
    if (k_base62.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool equal_constant_time(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace hf::auth
