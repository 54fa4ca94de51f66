// Fuzzes WordPiece encoding with BERT's normalizer (lowercasing, accent stripping, CJK spacing,
// control characters) and pre-tokenizer, with and without a text pair. Needs ../shared/fixtures
// (skips, exit 79, without).
#include <cstddef>
#include <cstdint>

#include "fuzz/tokenizer_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto bert = fuzz_tokenizer::load_folder("tokenizers/bert-base-uncased");
  fuzz_tokenizer::exercise(bert, data, size, {});
  return 0;
}
