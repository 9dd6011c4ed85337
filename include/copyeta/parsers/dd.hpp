// GNU dd status=progress (and its final summary), uutils dd, BSD/macOS dd:
//   117579644928 bytes (118 GB, 110 GiB) copied, 3058 s, 38.4 MB/s
//   512 bytes copied, 0.001 s, 512 kB/s
//   1048576 bytes transferred in 0.012 secs (87381333 bytes/sec)       (BSD, macOS)
// done = the exact byte count, t = dd's elapsed seconds. dd prints no total and no ETA. The
// line may carry a prefix (a log timestamp, "^C"); the byte count is the number before "bytes".
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta::parsers {

class dd_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "dd"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

std::unique_ptr<line_parser> make_dd_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/dd-inl.hpp>
#endif
