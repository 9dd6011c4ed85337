// Any line with an "N/M" pair or a percentage: the fallback format (tqdm, many tools).
//   model.safetensors:  13% 118M/892M [00:03<00:21, 35.5MB/s]      done 118M of 892M
//   Copying... 57.25%                                             percent_only
// "N/M": the first pair of numbers (optionally with a K/M/G/T suffix and 'B', command-line
// convention: K/M/G 1024-based, KB/MB/GB 1000-based) joined by '/', with done <= total and not
// inside a word or a path ("MB/s", "2016/08/11" are skipped because they fail these rules).
// Otherwise the first "NN%" or "NN.NN%" in [0, 100] gives a percent_only reading. A tqdm
// "[elapsed<remaining" gives t and tool_eta.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta::parsers {

class generic_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "generic"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

std::unique_ptr<line_parser> make_generic_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/generic-inl.hpp>
#endif
