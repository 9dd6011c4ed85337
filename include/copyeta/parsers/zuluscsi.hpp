// ZuluSCSI's initiator mode (imaging a SCSI drive to the SD card), in its log:
//   [8341931ms] SCSI read succeeded, sectors done: 42949120 / 71687372 speed 2702 kB/s - 59%
// Older firmware ends the line after "kB/s" or after the counts. t = the log's milliseconds
// since the device booted / 1000 (none without the "[...ms]" prefix); done and total are
// sectors, which copyeta scales like any unit. The percent is ignored: the firmware computes
// it in 32 bits, so it wraps (59% -> 0%). The counts are printed as int, negative past 2^31
// sectors: no reading then.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta::parsers {

// Stateless.
class zuluscsi_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "zuluscsi"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

std::unique_ptr<line_parser> make_zuluscsi_parser();

}  // namespace copyeta::parsers

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/zuluscsi-inl.hpp>
#endif
