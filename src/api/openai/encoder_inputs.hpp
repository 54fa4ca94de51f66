// Turns the "input" of the encoder routes (/v1/embeddings, /classify) into encoder jobs: texts are
// encoded with the model's tokenizer (special tokens added, as sentence-transformers and the
// text-classification pipeline do); token ids are checked against the model's vocabulary (422).
//   std::vector<serving::encoder_job_input> jobs = encoder_inputs(lease.model(), req.inputs);
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "api/openai/requests.hpp"
#include "serving/embedding/batcher.hpp"
#include "serving/loaded_model.hpp"

namespace hf::api {

std::vector<serving::encoder_job_input> encoder_inputs(const serving::loaded_model& model,
                                                        const std::vector<prompt_input>& inputs);

// One (first, second) text pair as two segments ([CLS] a [SEP] b [SEP], token types 0 then 1),
// the input of a cross-encoder.
serving::encoder_job_input encoder_pair_input(const serving::loaded_model& model,
                                              const std::string& first, const std::string& second);

// How the routes pool embeddings: the folder's sentence-transformers pooling when it has one (mean
// otherwise), L2-normalised as OpenAI's embeddings are.
engine::embed_options route_embed_options(const serving::loaded_model& model);

}  // namespace hf::api
