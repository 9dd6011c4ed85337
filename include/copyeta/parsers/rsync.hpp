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
// used.
//
// Per-file mode restarts the size column at each file, so the parser adds files up. A "(xfr#"
// line at 100% ends a file; when a line after it is smaller than that file, the stream is
// per-file, and from then on done = the bytes of the files ended so far + the line's size, and
// total = those bytes + the least size the file's truncated percent allows (size * 100 /
// (p + 1)), never below an earlier total. rsync prints the whole copy's size nowhere in this
// mode, so that total is a lower bound (equal to done at each file's end): pass --total for
// per-file rsync. A "(xfr#" line below 100% means --info=progress2, which counts the whole
// transfer already and is never summed. Until one of the two shows (a single file, files of
// growing sizes), readings are the lines' own, as in progress2.
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
  void reset() noexcept override { s_ = state{}; }

 private:
  enum class mode : unsigned char { unknown, per_file, progress2 };
  struct state {
    mode kind = mode::unknown;
    amount completed = 0;             // the files that ended with a 100% "(xfr#" line
    std::optional<amount> ended;      // the size of the file the previous line ended
    amount max_total = 0;             // the largest total reported in per-file mode
  };
  state s_;
};

std::unique_ptr<line_parser> make_rsync_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/rsync-inl.hpp>
#endif
