#include "engine/models/model.hpp"

#include <algorithm>

namespace hf::engine {

std::string_view task_name(task t) {
  switch (t) {
    case task::text_generation: return "text-generation";
    case task::embeddings: return "embeddings";
    case task::classification: return "classification";
  }
  return "?";
}

bool model::supports(task t) const { return std::find(tasks_.begin(), tasks_.end(), t) != tasks_.end(); }

}  // namespace hf::engine
