// s3p (generalui/s3p) status lines:
//   s3p: d: 30m 29s, items: 212240, ..., copied 158857/212240 21.68tB/22.77tB 12.13gB/s inFlight: ...
// Sizes use lowercase prefixes ("0_B", "8.76gB", "21.68tB"), read as decimal (1000^n).
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace parsers {

// t = "d:", done/total = the bytes after "copied a/b" (coarse: 0.01 tB steps on big jobs).
// Stateless.
class s3p_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "s3p"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_s3p_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/s3p-inl.hpp>
#endif
