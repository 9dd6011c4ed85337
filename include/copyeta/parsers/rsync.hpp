// rsync --progress (per-file) and --info=progress2 (whole transfer) lines:
//       44,179 100%   10.88MB/s    0:00:00 (xfr#1, to-chk=34/36)        per-file, file done
//    1,234,567  45%   10.88MB/s    0:01:02                              per-file, in progress
//      105.45M  13%  602.83kB/s    0:02:50 (xfr#495, ir-chk=1020/3825) progress2 (-h sizes)
// done = the size column: exact bytes with or without ',' separators, or with -h a K/M/G
// suffix read as 1024-based (rsync -hh; a single -h is 1000-based and cannot be told apart).
// total = done / percent (detail::total_from_percent: rsync truncates the percent, so the
// middle of [p, p+1) is used; exactly done at 100%, none at 0%). The time column is the ETA
// while a file is in progress (no "(xfr#" suffix) -> tool_eta; on a line ending a file
// ("(xfr#...)") it is the elapsed time: for progress2 (percent < 100) the whole transfer's
// elapsed time -> t; at 100% it may be one file's elapsed time (per-file mode), so it is not
// used. Per-file mode restarts done at each file: this parser does not sum files.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta::parsers {

class rsync_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "rsync"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

std::unique_ptr<line_parser> make_rsync_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/rsync-inl.hpp>
#endif
