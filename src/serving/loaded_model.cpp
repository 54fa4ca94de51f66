#include "serving/loaded_model.hpp"

#include "engine/errors.hpp"
#include "engine/models/registry.hpp"
#include "serving/errors.hpp"

namespace hf::serving {

std::shared_ptr<const loaded_model> load_model_folder(const std::string& id,
                                                      const std::filesystem::path& dir,
                                                      const engine::dtype_request& dtype) {
  auto start = std::chrono::steady_clock::now();
  std::shared_ptr<loaded_model> m;
  try {
    m = std::make_shared<loaded_model>(engine::tokenizer::from_folder(dir));
    m->model = engine::load_model(dir, dtype);
  } catch (const engine::engine_error& e) {
    throw serving_error(error_kind::invalid_request,
                        "cannot load model '" + id + "': " + e.what(), "model");
  } catch (const std::exception& e) {
    throw serving_error(error_kind::unavailable, "cannot load model '" + id + "': " + e.what(),
                        "model");
  }
  m->id = id;
  m->dir = dir;
  m->lm = dynamic_cast<const engine::causal_lm*>(m->model.get());
  m->encoder = dynamic_cast<const engine::encoder_model*>(m->model.get());
  if (const std::string& src = m->tokenizer.chat_template(); !src.empty()) {
    try {
      m->chat_template = tmpl::template_::parse(src, {.trim_blocks = true, .lstrip_blocks = true});
    } catch (const std::exception& e) {
      // A model whose template we cannot parse still serves completions; chat reports the cause.
      m->chat_template_error = e.what();
    }
  }
  m->memory_bytes = m->model->parameter_bytes();
  m->load_time = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  return m;
}

}  // namespace hf::serving
