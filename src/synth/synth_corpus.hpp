// A few paragraphs of plain English written for hfserve, from which write_synthetic_tokenizer
// learns its merges and word pieces (so synthetic vocabularies look like real ones).
//   std::string_view text = synth_corpus();
#pragma once
#include <string_view>

namespace hf::engine::tok {

std::string_view synth_corpus();

}  // namespace hf::engine::tok
