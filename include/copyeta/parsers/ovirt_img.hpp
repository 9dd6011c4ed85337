// ovirt-img (oVirt imageio's CLI) progress: `--output json` lines and the text bar.
//
//   {"transferred": 30729568256, "elapsed": 23.738, "description": "downloading image", "size": 53687091200}
//   [  45% ] 2.74 GiB, 0.42 seconds, 6.54 GiB/s
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta {
namespace parsers {

// JSON: t = "elapsed", done = "transferred", total = "size" (when a number). A line cut after
// "elapsed" still reads. Text: t = the seconds, and, as the bar shows no total, a percent_only
// reading from the whole percent ("[ ---- ]", size unknown, gives nothing). Stateless.
class ovirt_img_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "ovirt_img"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_ovirt_img_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/ovirt_img-inl.hpp>
#endif
