// wget's bar and dot progress, and its "saved [N/M]" line:
//   install.iso           22%[=========>        ] 229.32M  5.21MB/s    eta 8m 3s
//   install.iso          100%[=================>] 1.02G    5.21MB/s    in 3m 20s
//        0K .......... .......... .......... .......... ..........  0% 4.40M 15s
//   163840K ........ ........ ........ ....    100%  923K=65s
//   2019-02-03 12:00:00 (10.1 MB/s) - 'file' saved [12345678/12345678]
// Bar: done = the size column (K/M/G 1024-based; older wget's exact "240,456,789"), total =
// done / percent (detail::total_from_percent), tool_eta = "eta ...", t = "in ..." (the total
// time, on the last update only). Dot: done = the line's offset (in K) + its dots times the dot
// size; the dot size follows from the layout (10-dot clusters: 1 KiB, default; 8-dot clusters,
// 4 per line: 1 MiB, dot:giga; 8-dot clusters, 6 per line: 64 KiB, dot:mega, or 8 KiB,
// dot:binary, told apart by the offsets of two consecutive lines, mega assumed before that).
// tool_eta = the trailing ETA, t = the "rate=time" total on the last line. The last line's done
// is a lower bound (wget draws no partial dot). total = done / percent as for the bar.
// "saved [N/M]" gives done = N and total = M exactly; "saved [N]" only done. A resumed download
// (206 Partial Content) draws what it had as '+' in the bar and ',' in dot lines: both count.
// "Length: N (43M)" gives total = N (and, with ", R (..) remaining" on a resumed download,
// done = N - R); that exact total then replaces the percent estimate on the following bar and
// dot lines, until a new request ("--2023-08-07 17:14:24--  URL") or reset().
// "Connection closed at byte N." gives done = N.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

namespace copyeta::parsers {

class wget_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "wget"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {
    length_.reset();
    dot_bytes_ = 0;
    last_offset_.reset();
    last_dots_ = 0;
  }

 private:
  std::optional<amount> length_;  // from "Length: N", the exact total
  amount dot_bytes_ = 0;           // bytes per dot, once two consecutive lines showed it
  std::optional<amount> last_offset_;  // the previous dot line's offset and dot count
  std::size_t last_dots_ = 0;
};

std::unique_ptr<line_parser> make_wget_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/wget-inl.hpp>
#endif
