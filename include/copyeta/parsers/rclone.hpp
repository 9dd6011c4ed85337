// rclone's stats blocks (`-v --stats 1s`, `-P`).
//
// rclone prints a block per stats interval. Old (1.3x):
//   Transferred:   74.996 MBytes (3.784 MBytes/s)
//   Errors: 0 / Checks: 0 / Transferred: 0 / Elapsed time: 19.8s
//   Transferring:
//    * file.mkv:  2% done, 3.718 MBytes/s, ETA: 11m49s
// Newer (1.4x and later): "Transferred:   1.2 GiB / 11.2 GiB, 10%, 3.784 MiB/s, ETA 45m" with
// a file count line "Transferred: 3 / 10, 30%" and "Elapsed time: 1m2.3s".
// rclone's units are 1024-based whatever the spelling (MBytes, MiB, Mi, GiByte).
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta {
namespace parsers {

// Reading per block: t = "Elapsed time", done/total from the byte "Transferred:" line,
// tool_eta = the job ETA (newer rclone), or for old rclone, which prints only per-file ETAs,
// the ETA of the first file in flight (the job's ETA when one file is in flight). A block in
// the new format completes at "Elapsed time"; an old one at its first per-file line, or at the
// first line after "Elapsed time" that is not "Transferring:". `--stats-one-line` log lines
// ("INFO  :    1.234 GiB / 11.200 GiB, 11%, 3.784 MiB/s, ETA 45m12s") give done, total and
// ETA without a time.
class rclone_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "rclone"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;

 private:
  enum class stage : unsigned char { idle, have_bytes, after_elapsed, in_files };
  stage stage_ = stage::idle;
  bool new_format_ = false;
  progress_reading pending_;
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_rclone_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/rclone-inl.hpp>
#endif
