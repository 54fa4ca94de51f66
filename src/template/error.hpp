// Errors raised by the chat-template engine: template_error for bad templates (parse errors and
// failures while rendering, with the 1-based line/column of the construct), and template_raised for
// an explicit raise_exception('msg') in the template, which the server reports as a client error.
//   try { t.render(ctx); } catch (const hf::tmpl::template_raised& e) { reply_400(e.message()); }
#pragma once
#include <stdexcept>
#include <string>

namespace hf::tmpl {

class template_error : public std::runtime_error {
 public:
  template_error(std::string message, int line, int column)
      : std::runtime_error(format(message, line, column)),
        message_(std::move(message)),
        line_(line),
        column_(column) {}
  // The message without the location prefix.
  const std::string& message() const { return message_; }
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  static std::string format(const std::string& message, int line, int column) {
    if (line <= 0) return "template: " + message;
    return "template:" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
  }
  std::string message_;
  int line_;
  int column_;
};

// raise_exception('msg') inside a template. what() and message() are exactly msg.
class template_raised : public template_error {
 public:
  explicit template_raised(std::string message) : template_error(std::move(message), 0, 0) {}
  const char* what() const noexcept override { return message().c_str(); }
};

}  // namespace hf::tmpl
