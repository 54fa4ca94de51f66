#include "template/objects.hpp"

#include "template/evaluator.hpp"
#include "template/pyformat.hpp"

namespace hf::tmpl {
namespace {

// loop.cycle(a, b, ...) and loop.changed(...), bound to their loop.
class loop_method final : public function {
 public:
  loop_method(std::shared_ptr<const loop_object> loop, bool cycle) : loop_(std::move(loop)), cycle_(cycle) {}
  std::string_view name() const override { return cycle_ ? "cycle" : "changed"; }
  value call(evaluator&, call_args args) const override {
    if (!args.named.empty()) throw eval_error(std::string(name()) + "() takes no keyword arguments");
    if (!cycle_) return value::boolean(loop_->changed(args.positional));
    if (args.positional.empty()) throw eval_error("no items for cycling given");
    return args.positional[loop_->index0() % args.positional.size()];
  }

 private:
  std::shared_ptr<const loop_object> loop_;
  bool cycle_;
};

}  // namespace

value loop_object::attribute(std::string_view name) const {
  const auto n = items_->size();
  const auto i = index0_;
  auto integer = [](std::size_t x) { return value::integer(static_cast<std::int64_t>(x)); };
  if (name == "index") return integer(i + 1);
  if (name == "index0") return integer(i);
  if (name == "revindex") return integer(n - i);
  if (name == "revindex0") return integer(n - i - 1);
  if (name == "first") return value::boolean(i == 0);
  if (name == "last") return value::boolean(i + 1 == n);
  if (name == "length") return integer(n);
  if (name == "depth") return value::integer(depth_);
  if (name == "depth0") return value::integer(depth_ - 1);
  if (name == "previtem") return i > 0 ? (*items_)[i - 1] : value::undefined("there is no previous item");
  if (name == "nextitem") return i + 1 < n ? (*items_)[i + 1] : value::undefined("there is no next item");
  if (name == "cycle" || name == "changed")
    return value::from_function(std::make_shared<const loop_method>(shared_from_this(), name == "cycle"));
  return value::undefined("'LoopContext object' has no attribute " + pyformat::string_repr(name));
}

std::string loop_object::to_str() const {
  return "<LoopContext " + std::to_string(index0_ + 1) + "/" + std::to_string(items_->size()) + ">";
}

bool loop_object::changed(const list_t& values) const {
  auto current = std::make_shared<const list_t>(values);
  bool differs = !last_changed_ || !equals(value::from_list(*last_changed_), value::from_list(*current));
  last_changed_ = std::move(current);
  return differs;
}

value namespace_object::attribute(std::string_view name) const {
  if (const value* v = attrs_.find(name)) return *v;
  return value::undefined("'Namespace object' has no attribute " + pyformat::string_repr(name));
}

bool namespace_object::set_attribute(std::string_view name, value v) {
  attrs_.set(std::string(name), std::move(v));
  return true;
}

std::string namespace_object::to_str() const {
  std::string out = "<Namespace {";
  bool first = true;
  for (const auto& [k, v] : attrs_) {
    if (!first) out += ", ";
    first = false;
    out += pyformat::string_repr(k) + ": " + repr(v);
  }
  return out + "}>";
}

}  // namespace hf::tmpl
