// Encoder models (BERT family): embeddings with pooling and sequence classification. A batch is
// a list of unpadded sequences processed together (no padding rows, no masks). Sequences longer
// than max_positions() are cut to it and flagged `truncated`.
// Usage: encoder_input in{ids};  auto e = enc.embed({&in, 1}, {.mode = pooling::mean, .normalize = true});
//        auto c = enc.classify({&in, 1});  c[0].probs, enc.labels()[c[0].label_id]
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <stop_token>
#include <string>
#include <vector>

#include "engine/layers/workspace.hpp"
#include "engine/models/model.hpp"
#include "engine/tensor/tensor.hpp"
#include "engine/weights/pooling_config.hpp"

namespace hf::engine {

struct encoder_input {
  std::span<const int32_t> ids;             // with the tokenizer's special tokens ([CLS] ... [SEP])
  std::span<const int32_t> token_type_ids;  // empty = all zeros
};

struct embed_options {
  pooling mode = pooling::mean;
  bool normalize = false;       // L2-normalise the pooled vector
  bool hidden_states = false;   // also return the last hidden state [tokens, hidden]
};

struct embedding_output {
  std::vector<float> embedding;
  tensor last_hidden_state;  // filled when embed_options::hidden_states
  size_t tokens = 0;         // tokens actually processed (after truncation)
  bool truncated = false;
};

struct classification_output {
  std::vector<float> logits;
  std::vector<float> probs;  // softmax, or sigmoid for multi_label_classification and one-label models
  size_t label_id = 0;       // argmax; its name is labels()[label_id]
  size_t tokens = 0;
  bool truncated = false;
};

// Rows of one encoder call: each sequence is a contiguous segment of the stacked activations.
struct encoder_batch {
  struct segment {
    size_t row;
    size_t count;
  };
  std::vector<segment> segments;
  size_t rows = 0;
};

class encoder_model : public model {
 public:
  size_t hidden_size() const { return hidden_; }
  // Pooling from sentence-transformers files in the folder, when present.
  const std::optional<pooling_config>& default_pooling() const { return default_pooling_; }
  // Label names by id (id2label), for classification models; empty otherwise.
  const std::vector<std::string>& labels() const { return labels_; }
  bool has_pooler() const { return has_pooler_; }

  // Throw input_error for ids/type ids out of range or an empty sequence, model_error for a task
  // the checkpoint lacks (pooler / classifier), cancelled_error when `stop` is requested.
  std::vector<embedding_output> embed(std::span<const encoder_input> batch, const embed_options& options,
                                      std::stop_token stop = {}) const;
  std::vector<classification_output> classify(std::span<const encoder_input> batch,
                                              std::stop_token stop = {}) const;

 protected:
  encoder_model() = default;
  // The parts each architecture provides; x is [rows, hidden].
  virtual void embed_tokens(std::span<const int32_t> ids, std::span<const int32_t> types,
                            std::span<const size_t> positions, tensor& x) const = 0;
  virtual void block(size_t layer, tensor& x, const encoder_batch& b, workspace& ws) const = 0;
  virtual void pooler(const tensor& cls, tensor& out) const = 0;        // requires has_pooler_
  virtual void classifier(const tensor& cls, tensor& logits) const = 0;  // from the CLS hidden rows
  virtual size_t position_offset() const { return 0; }                   // RoBERTa starts at pad + 1

  size_t hidden_ = 0;
  size_t layers_ = 0;
  size_t type_vocab_ = 1;
  bool has_pooler_ = false;
  bool multi_label_ = false;
  std::vector<std::string> labels_;
  std::optional<pooling_config> default_pooling_;

 private:
  // Runs the encoder; returns the last hidden state and fills `b` and the truncation flags.
  tensor run(std::span<const encoder_input> batch, encoder_batch& b, std::vector<bool>& truncated,
             std::stop_token stop) const;
};

}  // namespace hf::engine
