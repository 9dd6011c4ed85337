// pv's default display, pv --format output, and pv -n (numeric):
//   2.74KiB 0:00:00 [33.0KiB/s] [=====>      ] 68%
//   5.07GiB 1:17:06 [ 526KiB/s] [==> ] 6% ETA 1:15:26:23
//   6.06GiB 0:00:09 [ 642MiB/s] [      <=>     ]             (size unknown)
//   0:00:01 3.56MiB [3.54MiB/s]avg [3.54MiB/s]                (--format "%t %b %a %r")
//   45           or   12.5 45                               (-n: percent, or -t -n: t percent)
// done = the byte counter (B, KiB, MiB, GiB... all 1024-based, as pv prints them; old pv's
// "kB/MB" are 1024-based too), t = the timer, tool_eta = "ETA h:mm:ss", total = done / percent
// (detail::total_from_percent, pv truncates the percent). A -n line is percent_only. pv -n -b
// prints bytes instead of a percent, which a line cannot show: a number above 100 is taken as
// bytes, so -n -b lines are misread while the count is at most 100.
// A display line must have a byte counter with a 'B' unit and a timer or a rate; words with no
// digits ("^C", "avg") are ignored, anything else with a digit rejects the line.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta::parsers {

class pv_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "pv"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

std::unique_ptr<line_parser> make_pv_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/pv-inl.hpp>
#endif
