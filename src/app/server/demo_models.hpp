// The embedded default: when discovery finds no model, `hfserve serve` writes two small
// random-weight models (a Llama-style chat generator and a BERT-style embedder) with the same code
// as `hfserve make-model`, so a fresh machine serves something. Their output is gibberish, and
// the log says so.
#pragma once
#include <filesystem>
#include <vector>

namespace hf::app {

// Creates <dir>/demo-chat and <dir>/demo-embed unless they already exist; returns their folders.
std::vector<std::filesystem::path> ensure_demo_models(const std::filesystem::path& dir);

}  // namespace hf::app
