#include "api/openai/encoder_inputs.hpp"

#include "api/openai/api_error.hpp"

namespace hf::api {

std::vector<serving::encoder_job_input> encoder_inputs(const serving::loaded_model& model,
                                                        const std::vector<prompt_input>& inputs) {
  std::vector<serving::encoder_job_input> jobs;
  jobs.reserve(inputs.size());
  const std::size_t vocab = model.encoder->vocab_size();
  for (const auto& in : inputs) {
    serving::encoder_job_input job;
    if (const auto* s = std::get_if<std::string>(&in)) {
      job.ids = model.tokenizer.encode(*s, /*add_special_tokens=*/true);
    } else {
      job.ids = std::get<std::vector<int32_t>>(in);
      for (int32_t id : job.ids) {
        if (static_cast<std::size_t>(id) >= vocab) {
          throw api_error::invalid_param("input", "token id " + std::to_string(id) +
                                                      " is outside the vocabulary");
        }
      }
    }
    jobs.push_back(std::move(job));
  }
  return jobs;
}

serving::encoder_job_input encoder_pair_input(const serving::loaded_model& model,
                                              const std::string& first, const std::string& second) {
  engine::encoding e = model.tokenizer.encode_full(first, second, /*add_special_tokens=*/true);
  return {std::move(e.ids), std::move(e.type_ids)};
}

engine::embed_options route_embed_options(const serving::loaded_model& model) {
  engine::embed_options opts;
  if (const auto& p = model.encoder->default_pooling()) opts.mode = p->mode;
  opts.normalize = true;
  return opts;
}

}  // namespace hf::api
