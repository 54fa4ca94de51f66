#include "serving/registry/discovery.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "observability/log.hpp"
#include "serving/registry/hub_cache.hpp"
#include "serving_test_util.hpp"

namespace hf::serving {
namespace {

namespace fs = std::filesystem;
using test::fake_tensor;
using test::temp_dir;
using test::write_file;
using test::write_safetensors;

const model_entry* find(const std::vector<model_entry>& v, const std::string& id) {
  for (const auto& m : v)
    if (m.id == id) return &m;
  return nullptr;
}

// A hub repo as huggingface_hub writes it: files live in blobs/, snapshots link to them.
struct fake_repo {
  fs::path dir;
  explicit fake_repo(const fs::path& cache, const std::string& folder) : dir(cache / folder) {
    fs::create_directories(dir / "blobs");
    fs::create_directories(dir / "refs");
  }
  // Writes `content` as a blob and links snapshots/<rev>/<name> to it.
  fs::path add_file(const std::string& rev, const std::string& name, const std::string& content) {
    const fs::path blob = dir / "blobs" / (rev + "-" + name);
    write_file(blob, content);
    link(rev, name, blob.filename().string());
    return blob;
  }
  void link(const std::string& rev, const std::string& name, const std::string& blob_name) {
    fs::create_directories(dir / "snapshots" / rev);
    fs::create_symlink(fs::path("../../blobs") / blob_name, dir / "snapshots" / rev / name);
  }
  void set_main(const std::string& rev) { write_file(dir / "refs" / "main", rev); }
};

std::string config_json(const std::string& arch, const std::string& model_type = "llama") {
  return R"({"architectures": [")" + arch + R"("], "model_type": ")" + model_type +
         R"(", "torch_dtype": "float32"})";
}

TEST(HubCache, FolderNamesBecomeRepoIds) {
  EXPECT_EQ(repo_id_from_folder("models--org--name"), "org/name");
  EXPECT_EQ(repo_id_from_folder("models--gpt2"), "gpt2");
  EXPECT_EQ(repo_id_from_folder("datasets--org--name"), "");
  EXPECT_EQ(repo_id_from_folder("models--"), "");
}

TEST(Discovery, HubRepoAtTheRevisionRefsMainNames) {
  temp_dir tmp;
  const fs::path cache = tmp.path() / "hub";
  fake_repo repo(cache, "models--org--tiny-llama");
  const auto config = repo.add_file("abc123", "config.json", config_json("LlamaForCausalLM"));
  const auto weights =
      repo.add_file("abc123", "model.safetensors",
                    write_safetensors({{"a", "F32", {2, 3}}, {"b", "F32", {4}}, {"s", "F32", {}}}));
  const auto tok = repo.add_file("abc123", "tokenizer.json", "{}");
  repo.add_file("old999", "config.json", config_json("GPT2LMHeadModel"));  // an older revision
  repo.set_main("abc123");

  const auto models = discover({.hub_cache = cache});
  ASSERT_EQ(models.size(), 1u);
  const auto& m = models[0];
  EXPECT_TRUE(m.ok()) << m.error;
  EXPECT_EQ(m.id, "org/tiny-llama");
  EXPECT_EQ(m.origin, model_origin::hub);
  EXPECT_EQ(m.revision, "abc123");
  EXPECT_EQ(m.path, fs::absolute(cache) / "models--org--tiny-llama" / "snapshots" / "abc123");
  EXPECT_EQ(m.architecture, "LlamaForCausalLM");
  EXPECT_EQ(m.model_type, "llama");
  EXPECT_EQ(m.task, model_task::text_generation);
  EXPECT_EQ(m.parameters, 2u * 3u + 4u + 1u);
  EXPECT_EQ(m.dtype, "float32");
  EXPECT_EQ(m.size_bytes, fs::file_size(config) + fs::file_size(weights) + fs::file_size(tok));
  EXPECT_TRUE(m.has_tokenizer);
  EXPECT_TRUE(m.supported) << m.unsupported_reason;
  EXPECT_EQ(m.hardware, std::vector<std::string>{"cpu"});
}

TEST(Discovery, FallsBackToTheNewestSnapshot) {
  temp_dir tmp;
  const fs::path cache = tmp.path();
  fake_repo a(cache, "models--org--no-ref");
  a.add_file("aaa", "config.json", config_json("LlamaForCausalLM"));
  a.add_file("bbb", "config.json", config_json("LlamaForCausalLM"));
  const auto now = fs::file_time_type::clock::now();
  fs::last_write_time(a.dir / "snapshots" / "aaa", now);
  fs::last_write_time(a.dir / "snapshots" / "bbb", now - std::chrono::hours(1));

  fake_repo b(cache, "models--org--stale-ref");
  b.add_file("ccc", "config.json", config_json("LlamaForCausalLM"));
  b.set_main("not-downloaded");

  const auto models = discover({.hub_cache = cache});
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(find(models, "org/no-ref")->revision, "aaa");
  EXPECT_EQ(find(models, "org/stale-ref")->revision, "ccc");
  const auto repos = scan_hub_cache(cache);
  EXPECT_TRUE(repos[0].note.empty());  // no refs/main: normal for downloads pinned to a commit
  EXPECT_NE(repos[1].note.find("refs/main names not-downloaded"), std::string::npos);
}

TEST(Discovery, OnlyModelReposAndReposWithoutSnapshotsAreMarked) {
  temp_dir tmp;
  fake_repo(tmp.path(), "datasets--org--data").add_file("r", "config.json", config_json("X"));
  fs::create_directories(tmp.path() / ".locks" / "models--org--x");
  fake_repo(tmp.path(), "models--gpt2")
      .add_file("r1", "config.json", config_json("GPT2LMHeadModel", "gpt2"));
  fake_repo empty(tmp.path(), "models--org--empty");
  const auto models = discover({.hub_cache = tmp.path()});
  ASSERT_EQ(models.size(), 2u);
  EXPECT_EQ(models[0].id, "gpt2");
  EXPECT_TRUE(models[0].ok());
  EXPECT_EQ(models[1].id, "org/empty");
  EXPECT_NE(models[1].error.find("no snapshot downloaded"), std::string::npos);
}

TEST(Discovery, ABlobLinkedTwiceIsCountedOnceAndDanglingLinksNotAtAll) {
  temp_dir tmp;
  fake_repo r(tmp.path(), "models--org--m");
  const auto cfg = r.add_file("rev", "config.json", config_json("LlamaForCausalLM"));
  r.link("rev", "config_copy.json", cfg.filename().string());
  r.link("rev", "model.safetensors", "missing-blob");  // an interrupted download
  const auto models = discover({.hub_cache = tmp.path()});
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].size_bytes, fs::file_size(cfg));
  EXPECT_FALSE(models[0].ok());  // the weights cannot be read
  EXPECT_NE(models[0].error.find("model.safetensors"), std::string::npos) << models[0].error;
}

TEST(Discovery, ModelFoldersAndFoldersOfModels) {
  temp_dir tmp;
  const fs::path root = tmp.path() / "models";
  write_file(root / "gpt" / "config.json", config_json("GPT2LMHeadModel", "gpt2"));
  write_file(root / "gpt" / "model.safetensors", write_safetensors({{"w", "F32", {3, 3}}}));
  write_file(root / "bert" / "config.json", config_json("BertModel", "bert"));
  write_file(root / "notes" / "readme.txt", "not a model");
  write_file(root / ".hidden" / "config.json", config_json("BertModel", "bert"));
  const fs::path single = tmp.path() / "solo";
  write_file(single / "config.json", config_json("BertForSequenceClassification", "bert"));

  const auto models =
      discover({.model_dirs = {root, single.string() + "/", tmp.path() / "missing"}});
  ASSERT_EQ(models.size(), 3u);
  EXPECT_EQ(models[0].id, "bert");
  EXPECT_EQ(models[1].id, "gpt");
  EXPECT_EQ(models[2].id, "solo");
  EXPECT_EQ(models[0].origin, model_origin::folder);
  EXPECT_TRUE(models[0].revision.empty());
  EXPECT_EQ(models[0].task, model_task::embeddings);
  EXPECT_FALSE(models[0].parameters);  // no safetensors
  EXPECT_FALSE(models[0].supported);
  EXPECT_NE(models[0].unsupported_reason.find("no safetensors"), std::string::npos);
  EXPECT_EQ(models[1].parameters, 9u);
  EXPECT_TRUE(models[1].supported);
  EXPECT_EQ(models[2].task, model_task::classification);
  EXPECT_EQ(models[2].path, fs::canonical(single));
}

TEST(Discovery, TasksFromArchitecturesAndSentenceTransformers) {
  temp_dir tmp;
  write_file(tmp.path() / "st" / "config.json", config_json("MistralModel", "mistral"));
  write_file(tmp.path() / "st" / "modules.json", "[]");
  write_file(tmp.path() / "t5" / "config.json", config_json("T5ForConditionalGeneration", "t5"));
  write_file(tmp.path() / "xlmr" / "config.json", config_json("XLMRobertaModel", "xlm-roberta"));
  write_file(tmp.path() / "opt" / "config.json", config_json("OPTForCausalLM", "opt"));
  const auto models = discover({.model_dirs = {tmp.path()}});
  EXPECT_EQ(find(models, "st")->task, model_task::embeddings);
  EXPECT_EQ(find(models, "t5")->task, model_task::unknown);
  EXPECT_EQ(find(models, "xlmr")->task, model_task::embeddings);
  EXPECT_EQ(find(models, "opt")->task, model_task::text_generation);
  EXPECT_NE(
      find(models, "t5")->unsupported_reason.find("T5ForConditionalGeneration is not supported"),
      std::string::npos);
}

TEST(Discovery, ShardedWeightsAndTheDominantDtype) {
  temp_dir tmp;
  const fs::path m = tmp.path() / "sharded";
  write_file(m / "config.json",
             R"({"architectures": ["LlamaForCausalLM"], "torch_dtype": "float16"})");
  write_file(m / "model-00001-of-00002.safetensors", write_safetensors({{"a", "BF16", {10, 10}}}));
  write_file(m / "model-00002-of-00002.safetensors",
             write_safetensors({{"b", "F32", {5}}, {"c", "BF16", {7}}}));
  write_file(m / "stray.safetensors",
             write_safetensors({{"z", "F32", {1000}}}));  // not in the index
  write_file(m / "model.safetensors.index.json", R"({"metadata": {}, "weight_map": {
      "a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors",
      "c": "model-00002-of-00002.safetensors"}})");
  const auto e = inspect_model_folder(m, "sharded");
  EXPECT_TRUE(e.ok()) << e.error;
  EXPECT_EQ(e.parameters, 100u + 5u + 7u);
  EXPECT_EQ(e.dtype, "bfloat16");
  const auto no_weights = inspect_model_folder(m, "sharded", /*read_weights=*/false);
  EXPECT_FALSE(no_weights.parameters);
  EXPECT_EQ(no_weights.dtype, "float16");  // from config.json
}

TEST(Discovery, BrokenFoldersAreMarkedAndDiscoveryGoesOn) {
  temp_dir tmp;
  write_file(tmp.path() / "a-bad-json" / "config.json", "{\"architectures\": [");
  write_file(tmp.path() / "b-bad-weights" / "config.json", config_json("LlamaForCausalLM"));
  write_file(tmp.path() / "b-bad-weights" / "model.safetensors", std::string("\x10\x00\x00", 3));
  write_file(tmp.path() / "c-bad-index" / "config.json", config_json("LlamaForCausalLM"));
  write_file(tmp.path() / "c-bad-index" / "model.safetensors.index.json", R"({"weight_map": 3})");
  write_file(tmp.path() / "d-good" / "config.json", config_json("LlamaForCausalLM"));
  write_file(tmp.path() / "d-good" / "model.safetensors", write_safetensors({{"w", "F32", {2}}}));
  const auto models = discover({.model_dirs = {tmp.path()}});
  ASSERT_EQ(models.size(), 4u);
  EXPECT_NE(models[0].error.find("config.json: invalid JSON"), std::string::npos)
      << models[0].error;
  EXPECT_FALSE(models[0].supported);
  EXPECT_NE(models[1].error.find("model.safetensors"), std::string::npos) << models[1].error;
  EXPECT_EQ(models[1].architecture, "LlamaForCausalLM");  // what could be read is kept
  EXPECT_NE(models[2].error.find("weight_map"), std::string::npos) << models[2].error;
  EXPECT_TRUE(models[3].ok());
  EXPECT_TRUE(models[3].supported);
}

TEST(Discovery, IdClashKeepsTheFirstAndWarns) {
  temp_dir tmp;
  write_file(tmp.path() / "one" / "m" / "config.json", config_json("LlamaForCausalLM"));
  write_file(tmp.path() / "two" / "m" / "config.json", config_json("BertModel"));
  std::ostringstream log_out;
  const auto saved = obs::logging_config();
  obs::configure_logging({obs::log_level::warn, obs::log_format::text, &log_out});
  const auto models = discover({.model_dirs = {tmp.path() / "one", tmp.path() / "two"}});
  obs::configure_logging(saved);
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].architecture, "LlamaForCausalLM");
  EXPECT_NE(log_out.str().find("two models share an id"), std::string::npos) << log_out.str();
  EXPECT_NE(log_out.str().find("model=m"), std::string::npos);
}

TEST(Discovery, ToJson) {
  model_entry m;
  m.id = "org/x";
  m.origin = model_origin::hub;
  m.path = "/c/snap";
  m.revision = "abc";
  m.task = model_task::embeddings;
  m.parameters = 42;
  m.hardware = {"cpu"};
  const auto j = to_json(m);
  EXPECT_EQ(j["id"], "org/x");
  EXPECT_EQ(j["source"], "hub");
  EXPECT_EQ(j["revision"], "abc");
  EXPECT_EQ(j["task"], "embeddings");
  EXPECT_EQ(j["parameters"], 42);
  EXPECT_TRUE(j["dtype"].is_null());
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(j["hardware"], nlohmann::json::array({"cpu"}));
}

}  // namespace
}  // namespace hf::serving
