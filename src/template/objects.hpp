// The two object types templates see: the `loop` variable of a for loop (index, first, last,
// previtem, cycle(), ...) and namespace(...) objects, the one mutable thing in a template
// (`{% set ns.found = true %}` inside a loop is visible after it).
//   auto loop = std::make_shared<loop_object>(items, 1); loop->set_index(0);
#pragma once
#include <memory>
#include <string>

#include "template/value.hpp"

namespace hf::tmpl {

class loop_object final : public object, public std::enable_shared_from_this<loop_object> {
 public:
  loop_object(std::shared_ptr<const list_t> items, int depth) : items_(std::move(items)), depth_(depth) {}
  void set_index(std::size_t index0) { index0_ = index0; }
  std::size_t index0() const { return index0_; }
  std::string_view type_name() const override { return "LoopContext"; }
  value attribute(std::string_view name) const override;
  std::string to_str() const override;
  // loop.changed(*values): true when the values differ from the previous call's.
  bool changed(const list_t& values) const;

 private:
  std::shared_ptr<const list_t> items_;
  std::size_t index0_ = 0;
  int depth_;
  mutable std::shared_ptr<const list_t> last_changed_;
};

class namespace_object final : public object {
 public:
  explicit namespace_object(dict_t attrs) : attrs_(std::move(attrs)) {}
  std::string_view type_name() const override { return "Namespace"; }
  value attribute(std::string_view name) const override;
  bool set_attribute(std::string_view name, value v) override;
  std::string to_str() const override;

 private:
  dict_t attrs_;
};

}  // namespace hf::tmpl
