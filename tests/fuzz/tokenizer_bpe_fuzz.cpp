// Fuzzes BPE encoding in both of its HF forms: GPT-2's byte-level BPE (where decode(encode(x))
// must give back x) and Llama's SentencePiece-style BPE with byte fallback. Bit 2 of the flags
// byte picks the tokenizer. Needs ../shared/fixtures (skips, exit 79, without).
#include <cstddef>
#include <cstdint>

#include "fuzz/tokenizer_fuzz.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto gpt2 = fuzz_tokenizer::load_folder("tokenizers/gpt2");
  static const auto llama = fuzz_tokenizer::load_folder("tokenizers/llama");
  if (size > 0 && (data[0] & 4) != 0) {
    fuzz_tokenizer::exercise(llama, data, size, {});
  } else {
    fuzz_tokenizer::exercise(gpt2, data, size, {.byte_level_round_trip = true});
  }
  return 0;
}
