// curl's progress meter rows (tty or not, also inside a log line):
//   % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current
//                                  Dload  Upload   Total   Spent    Left  Speed
//    0 11.5G    0 4077k    0     0  8730k      0  0:23:10 --:--:--  0:23:10 8711k
//    0 11.2G    0    49    0     0   1195      0 117d 05h --:--:-- 117d 05h  1166
//   100 13.26G 100 13.26G   0      0  8.32M      0   27:12   27:12          8.49M   (curl 8.10+)
// done = Received (or Xferd for an upload, when Received is 0), total = Total when not 0,
// t = Time Spent, tool_eta = Time Left ("--:--:--" = unknown: left empty). Newer curl prints
// mm:ss and leaves unknown time columns blank; a final row without Left gets tool_eta 0. Sizes are curl's
// k/M/G/T/P, 1024-based, 3-4 significant digits, rounded to the nearest byte. The row is the
// last 12 columns of the line, so a prefix (a log timestamp, a quote) is skipped; a trailing
// '"' or "^C" is ignored.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta::parsers {

class curl_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "curl"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

std::unique_ptr<line_parser> make_curl_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/curl-inl.hpp>
#endif
