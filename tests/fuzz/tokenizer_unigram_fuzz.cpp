// Fuzzes Unigram (Viterbi) encoding with byte fallback, NFKC and Metaspace, as T5- and
// ALBERT-style tokenizers use them. None of the fixtures is a Unigram model, so its
// tokenizer.json lives in tests/fuzz/data (make_unigram_tokenizer.py there wrote it).
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "fuzz/tokenizer_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto unigram = fuzz_tokenizer::tokenizer::from_folder(
      std::filesystem::path(HFSERVE_FUZZ_DATA_DIR) / "unigram");
  fuzz_tokenizer::exercise(unigram, data, size, {});
  return 0;
}
