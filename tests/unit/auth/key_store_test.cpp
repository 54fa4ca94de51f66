// API keys and their SQLite store: key format, hashing, create/find/revoke, persistence across
// reopening, and that the database never holds a key.
#include "auth/key_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "auth/api_key.hpp"
#include "temp_db.hpp"

namespace hf::auth {
namespace {

TEST(api_key, keys_are_prefixed_base62_of_fixed_length_and_distinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string k = generate_api_key();
    EXPECT_EQ(k.size(), 3u + 43u);
    EXPECT_TRUE(k.starts_with("hf_"));
    EXPECT_TRUE(looks_like_api_key(k)) << k;
    seen.insert(k);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(api_key, malformed_keys_are_recognised) {
  const std::string k = generate_api_key();
  EXPECT_FALSE(looks_like_api_key(""));
  EXPECT_FALSE(looks_like_api_key("sk-" + k.substr(3)));
  EXPECT_FALSE(looks_like_api_key(k.substr(0, k.size() - 1)));
  EXPECT_FALSE(looks_like_api_key(k + "0"));
  std::string bad = k;
  bad[10] = '-';
  EXPECT_FALSE(looks_like_api_key(bad));
}

TEST(api_key, hash_is_sha256_hex) {
  // FIPS 180-2 test vector.
  EXPECT_EQ(hash_api_key("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash_api_key("").size(), 64u);
}

TEST(api_key, constant_time_comparison_agrees_with_equality) {
  EXPECT_TRUE(equal_constant_time("abc", "abc"));
  EXPECT_FALSE(equal_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_constant_time("abc", "ab"));
  EXPECT_TRUE(equal_constant_time("", ""));
}

TEST(key_store, create_find_and_revoke) {
  temp_db db;
  key_store store(db.path());
  EXPECT_EQ(store.active_count(), 0u);
  const std::string admin = store.create({.name = "ops", .scope = key_scope::admin});
  const std::string ci =
      store.create({.name = "ci", .models = {"gpt2", "bert"}, .rpm = 60, .tpm = 10000});
  EXPECT_EQ(store.active_count(), 2u);

  auto a = store.find(admin);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "ops");
  EXPECT_EQ(a->scope, key_scope::admin);
  EXPECT_TRUE(a->allows_model("anything"));
  EXPECT_TRUE(a->last_used.has_value());

  auto c = store.find(ci);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->scope, key_scope::inference);
  EXPECT_EQ(c->models, (std::vector<std::string>{"gpt2", "bert"}));
  EXPECT_TRUE(c->allows_model("bert"));
  EXPECT_FALSE(c->allows_model("llama"));
  EXPECT_EQ(c->rpm, 60);
  EXPECT_EQ(c->tpm, 10000);
  EXPECT_FALSE(c->revoked);

  EXPECT_FALSE(store.find(generate_api_key()));  // well-formed but unknown
  EXPECT_FALSE(store.find("hf_short"));

  EXPECT_TRUE(store.revoke("ci"));
  EXPECT_TRUE(store.revoke("ci"));
  EXPECT_FALSE(store.revoke("nobody"));
  auto revoked = store.find(ci);
  ASSERT_TRUE(revoked);
  EXPECT_TRUE(revoked->revoked);
  EXPECT_EQ(store.active_count(), 1u);
}

TEST(key_store, names_are_unique_and_checked) {
  temp_db db;
  key_store store(db.path());
  store.create({.name = "a"});
  EXPECT_THROW(store.create({.name = "a"}), key_error);
  EXPECT_THROW(store.create({.name = ""}), key_error);
  EXPECT_THROW(store.create({.name = "has space"}), key_error);
  EXPECT_THROW(store.create({.name = std::string(65, 'x')}), key_error);
  EXPECT_THROW(store.create({.name = "b", .rpm = 0}), key_error);
  EXPECT_THROW(store.create({.name = "c", .models = {""}}), key_error);
  EXPECT_EQ(store.list().size(), 1u);
}

TEST(key_store, keys_and_revocations_survive_reopening_and_no_key_is_stored) {
  temp_db db;
  std::string kept;
  std::string gone;
  {
    key_store store(db.path());
    kept = store.create({.name = "kept", .scope = key_scope::admin});
    gone = store.create({.name = "gone"});
    store.revoke("gone");
  }
  key_store reopened(db.path());
  const auto list = reopened.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name, "kept");
  EXPECT_EQ(list[1].name, "gone");
  EXPECT_TRUE(list[1].revoked);
  ASSERT_TRUE(reopened.find(kept));
  EXPECT_FALSE(reopened.find(kept)->revoked);
  EXPECT_TRUE(reopened.find(gone)->revoked);

  const std::string bytes = db.all_bytes();
  EXPECT_EQ(bytes.find(kept.substr(3)), std::string::npos) << "a key is stored in clear";
  EXPECT_EQ(bytes.find(gone.substr(3)), std::string::npos);
  EXPECT_NE(bytes.find(hash_api_key(kept)), std::string::npos) << "its SHA-256 is";
}

TEST(key_store, a_second_connection_sees_a_revocation_at_once) {
  // What `hfserve keys revoke` does to a running server: another connection to the same file.
  temp_db db;
  key_store server(db.path());
  const std::string key = server.create({.name = "k"});
  ASSERT_FALSE(server.find(key)->revoked);
  key_store cli(db.path());
  EXPECT_TRUE(cli.revoke("k"));
  EXPECT_TRUE(server.find(key)->revoked);
}

TEST(key_store, an_unopenable_path_is_an_error) {
  EXPECT_ANY_THROW(key_store("/nonexistent-dir/for/sure/keys.db"));
}

}  // namespace
}  // namespace hf::auth
