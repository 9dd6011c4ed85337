// GNU ddrescue's status screen (1.22 and later; 1.1x-1.21 screens are read too, without totals).
//
//      ipos:    1000 GB, non-trimmed:    3145 kB,  current rate:  71761 kB/s
//      opos:    1000 GB, non-scraped:        0 B,  average rate:  14452 kB/s
//   non-tried:  511377 kB,  bad-sector:        0 B,    error rate:       0 B/s
//     rescued:  999690 MB,   bad areas:        0,        run time: 19h  7m 58s
//   pct rescued:   99.94%, read errors:       45,  remaining time:          8s
//                               time since last successful read:          0s
// Sizes are decimal (kB, MB, GB = 1000^n; KiB.. = 1024^n).
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta {
namespace parsers {

// One reading per screen, at its "remaining time" line (or, on old screens without one, at
// the "successful read" line): t = "run time", tool_eta = "remaining time" ("n/a" -> nullopt).
// The fields are rounded to 4-6 digits ("rescued: 1000 GB" for hours on a failing 1 TB disk),
// so: total = rescued + non-tried + non-trimmed + non-scraped + bad-sector (ddrescue's domain
// size, constant during a run), kept from the screen where that sum was finest; done =
// "rescued", or total minus the not-yet-rescued fields when that is finer (then trimming and
// scraping still show progress while "rescued" stays at "1000 GB").
// The "Initial status (read from mapfile)" line carries no run time and gives no reading.
class ddrescue_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "ddrescue"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override;

 private:
  struct field {
    amount value = 0;
    long double resolution = 0;  // one unit of the last printed digit, in bytes
  };
  void clear_screen() noexcept;

  std::optional<field> rescued_, non_tried_, non_trimmed_, non_scraped_, bad_sector_;
  std::optional<double> run_time_;
  std::optional<field> total_;  // the finest domain size seen so far
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_ddrescue_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/ddrescue-inl.hpp>
#endif
