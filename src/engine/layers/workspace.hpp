// Scratch activations for one forward call, passed down to every layer so that a loaded model
// holds no mutable state (forward stays const and thread-compatible). Buffers are resized on
// use and keep their capacity across the layers of the call.
// Usage: workspace ws; kernels::linear(x, w, &b, ws.a);
#pragma once
#include "engine/tensor/tensor.hpp"

namespace hf::engine {

struct workspace {
  tensor norm;   // normalised input of a sub-layer
  tensor qkv;    // fused or query projection
  tensor k;      // key projection (unfused models)
  tensor v;      // value projection (unfused models)
  tensor attn;   // attention output before the output projection
  tensor proj;   // output of a projection added back to the residual stream
  tensor mlp_a;  // MLP up / gate
  tensor mlp_b;  // MLP up (gated models)
  tensor gather; // rows gathered for the LM head / pooling
  tensor logits;
};

}  // namespace hf::engine
