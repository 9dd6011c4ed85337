// aws s3 cp / sync / mv progress: "Completed 11.1 MiB/662.3 MiB (2.0 MiB/s) with 660 file(s) remaining".
// Units are 1024-based; a "~" marks a total still being counted.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace parsers {

// done/total per line; no time, no ETA. Stateless.
class aws_s3_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "aws_s3"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_aws_s3_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/aws_s3-inl.hpp>
#endif
