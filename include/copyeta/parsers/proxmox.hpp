// Proxmox VE task logs: vzdump, qmrestore (vma extract, pbs-restore), qm importdisk and
// drive-mirror (move disk, clone, live migration), current and legacy lines.
//
//   drive-scsi0: transferred 383.0 MiB of 32.0 GiB (1.17%) in 1s            (drive-mirror)
//   mirror-scsi0: transferred 25.7 GiB of 32.0 GiB (80.26%) in 6m 14s
//   transferred 14.0 MiB of 1.3 GiB (1.05%)                                  (importdisk)
//   INFO:  13% (3.4 GiB of 25.0 GiB) in 3s, read: 1.1 GiB/s, write: ...    (vzdump)
//   INFO: status: 54% (146157010944/270582939648), sparse 22% (...), duration 7750, ...  (old vzdump)
//   DEV: dev_id=1 size: 136365211648 devname: drive-scsi0                    (vma extract header)
//   progress 1% (read 1363673088 bytes, duration 5 sec)                     (vma extract, pbs-restore)
//   drive-scsi0: transferred: 2162688 bytes remaining: ... total: 8589934592 bytes progression: 0.03 % ...
// Sizes are 1024-based (GiB, MiB).
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta {
namespace parsers {

// t = the printed "in Ns" / "duration N" when present. For "X of Y (P%)" lines, done is the
// finer of the two displays: 0.1 GiB steps of X, or P (2 decimals) of Y. vma/pbs "progress"
// lines take their total from the sum of the "DEV: ... size:" lines seen before; pbs-restore
// lines from the last "Formatting '...', ... size=N" target created (none: unknown), and
// "restore image complete (bytes=N, duration=Xs" gives the final reading.
// drive-mirror lines of several drives interleave (a finished drive keeps repeating its 100%
// line); the parser follows one drive and ignores finished drives' lines while it is unfinished.
class proxmox_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "proxmox"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;

 private:
  std::optional<progress_reading> follow(std::string_view drive, const progress_reading& r);

  std::string drive_;              // the drive followed, "" before the first drive line
  bool drive_finished_ = false;
  amount vma_total_ = 0;           // sum of the vma "DEV:" sizes
  amount target_size_ = 0;         // size of the last "Formatting '...' size=N" restore target
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_proxmox_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/proxmox-inl.hpp>
#endif
