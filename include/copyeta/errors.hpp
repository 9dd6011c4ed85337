// Exceptions for contract violations. Data-dependent trouble is never an exception: it is a
// state in the estimate (warming_up, stalled, ...) or a counted rejection in copyeta::monitor.
#pragma once

#include <copyeta/config.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace copyeta {

enum class reject_reason : unsigned char;

// A sample broke the input policy (input_policy.hpp) in the strict API. The message starts with
// a greppable tag and names the field, its value and the previous value:
//   [copyeta.sample.time_backwards] t = 9.5 is before the previous sample's t = 10
class sample_error : public std::invalid_argument {
 public:
  sample_error(reject_reason reason, std::string_view field, double value,
               std::optional<double> previous);

  reject_reason reason() const noexcept { return reason_; }
  const std::string& field() const noexcept { return field_; }
  double value() const noexcept { return value_; }
  std::optional<double> previous() const noexcept { return previous_; }

 private:
  reject_reason reason_;
  std::string field_;
  double value_;
  std::optional<double> previous_;
};

// An option, a model name or an argument is out of its documented range:
//   [copyeta.options] level = 1.5 must be inside (0, 1)
class options_error : public std::invalid_argument {
 public:
  explicit options_error(const std::string& what);
};

// A whole input cannot be read: a file that does not open, a CSV without the required columns.
// Single bad rows are not exceptions: they are reported as rejected rows with a reason.
//   [copyeta.input] run.csv:1: missing column 'bytes_done'
class input_error : public std::runtime_error {
 public:
  explicit input_error(const std::string& what);
};

}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/errors-inl.hpp>
#endif
