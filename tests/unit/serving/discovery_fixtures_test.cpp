// Discovery over the reference models in ../shared/fixtures/models (real save_pretrained folders).
#include <gtest/gtest.h>

#include "serving/registry/discovery.hpp"

namespace hf::serving {
namespace {

namespace fs = std::filesystem;

const fs::path k_models = fs::path(HFSERVE_FIXTURES_DIR) / "models";

TEST(DiscoveryFixtures, FindsTheFourReferenceModels) {
  if (!fs::exists(k_models / "gpt2-tiny" / "config.json")) GTEST_SKIP() << "fixtures absent";
  const auto models = discover({.model_dirs = {k_models}});
  ASSERT_EQ(models.size(), 4u);
  // Parameter counts follow from the tensor shapes listed in fixtures/README.md:
  // gpt2-tiny: wte 50257x64 + wpe 256x64 + 2 layers x 49984 + ln_f 128.
  // llama-tiny: embed 32000x64 + lm_head 32000x64 + 2 layers x 36992 + norm 64.
  // bert-tiny: embeddings 1986432 + 2 layers x 33472 + pooler 4160; -cls adds classifier 3x64+3.
  struct expected {
    const char* id;
    const char* arch;
    model_task task;
    std::uint64_t params;
  };
  const expected want[] = {
      {"bert-tiny", "BertModel", model_task::embeddings, 1986432u + 2u * 33472u + 4160u},
      {"bert-tiny-cls", "BertForSequenceClassification", model_task::classification,
       1986432u + 2u * 33472u + 4160u + 195u},
      {"gpt2-tiny", "GPT2LMHeadModel", model_task::text_generation,
       50257u * 64u + 256u * 64u + 2u * 49984u + 128u},
      {"llama-tiny", "LlamaForCausalLM", model_task::text_generation,
       2u * 32000u * 64u + 2u * 36992u + 64u},
  };
  for (size_t i = 0; i < 4; ++i) {
    const auto& m = models[i];
    SCOPED_TRACE(want[i].id);
    EXPECT_TRUE(m.ok()) << m.error;
    EXPECT_EQ(m.id, want[i].id);
    EXPECT_EQ(m.architecture, want[i].arch);
    EXPECT_EQ(m.task, want[i].task);
    EXPECT_EQ(m.parameters, want[i].params);
    EXPECT_EQ(m.dtype, "float32");
    EXPECT_TRUE(m.has_tokenizer);
    EXPECT_TRUE(m.supported) << m.unsupported_reason;
    // F32 weights: the safetensors file alone holds 4 bytes per parameter.
    EXPECT_GT(m.size_bytes, 4u * want[i].params);
    EXPECT_EQ(m.path, fs::canonical(k_models / want[i].id));
  }
}

}  // namespace
}  // namespace hf::serving
