// `zfs send -Pv` (parsable verbose; zfs prints it to stderr, tab-separated):
//   full  pool/fs@snap  39223560952               one snapshot's estimated stream size
//   incremental  pool/fs@a  pool/fs@b  5120       (-i, -I: from, to, estimated size)
//   size  39223560952                              the whole send's estimated size
//   15:15:40  294320456  pool/fs@snap              once a second: local time, bytes sent
//   15:15:40  294320456  2297  pool/fs@snap        the same with -vv (a block count added)
// t = seconds since the first per-second line's time of day; zfs prints no date, so a time
// earlier than the previous one has passed midnight (+24 h). total = the "size" line, else the
// sum of the "full"/"incremental" sizes: estimates, the stream may end up larger or smaller.
// The byte count restarts with each snapshot of a -R or -I send, so done adds the last count
// of every earlier snapshot: a slight lower bound, as the last second of each snapshot (and a
// snapshot sent within a second) goes unseen. Header lines give no reading. Plain `zfs send -v`
// prints rounded sizes ("1.23G") and is not read.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta::parsers {

class zfs_send_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "zfs_send"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;

 private:
  struct state {
    std::optional<amount> size_total;    // the "size" line
    std::optional<amount> snapshot_sum;  // the "full"/"incremental" lines, added up
    std::optional<double> first_time;    // of day, seconds
    double last_time = 0.0;
    double days = 0.0;                   // midnights passed, in seconds
    std::string snapshot;                // the one the last per-second line named
    amount snapshot_bytes = 0;           // its last count
    amount earlier_snapshots = 0;        // the last counts of the snapshots before it
  };
  state s_;
};

std::unique_ptr<line_parser> make_zfs_send_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/zfs_send-inl.hpp>
#endif
