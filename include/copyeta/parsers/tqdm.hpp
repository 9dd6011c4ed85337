// tqdm progress bars (huggingface_hub downloads, scripts):
//   output-00001-of-00002.safetensors:  71% 6.08G/8.58G [05:31<00:08, 292MB/s]
//   part-004.tar.gz:  12%|█▏        | 12/100 [00:31<03:48,  2.60s/it]
// Scaled amounts ("6.08G") use tqdm's default divisor 1000.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace parsers {

// t = elapsed, tool_eta = remaining ("?" -> nullopt), done/total = n/total. Several bars can
// interleave (parallel downloads): the parser follows the first bar (description and total),
// switches when it completes, and drops a followed bar's readings that go backwards (two bars
// with one name). A bar without a total ("n [elapsed, rate]") gives no reading.
class tqdm_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "tqdm"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;
 private:
  std::string bar_;           // "description|total" of the bar followed
  bool bar_done_ = false;
  amount last_done_ = 0;
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_tqdm_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/tqdm-inl.hpp>
#endif
