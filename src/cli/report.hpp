// Shared by watch and pipe: the status line a person reads, and the summary at the end (what
// copyeta said as the copy passed 25%, 50% and 75% of the way).
#pragma once

#include "clock.hpp"

#include <copyeta/estimate.hpp>
#include <copyeta/format.hpp>

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace copyeta::cli {

double unix_seconds(wall_clock::time_point wall);

struct line_style {
  bool color = false;  // ANSI colours: on a terminal, unless NO_COLOR is set
  bool bar = false;    // a progress bar before the percentage, when the total is known
  bool rate = true;    // the rate after the finish, when known ("412 MiB/s")
};

// Colours are for terminals only, and NO_COLOR (https://no-color.org) set to anything non-empty
// turns them off.
bool use_color(std::FILE* out);

// format_status() with the style's additions: "[#####.....] 57%  ETA 3:30pm ± 1 hour  412 MiB/s".
// A stalled estimate is yellow, flushing cyan, finished green.
std::string status_line(const estimate& e, wall_clock::time_point wall,
                        const format_options& options, const line_style& style);

// The estimate copyeta gave as the copy first crossed each of 25%, 50% and 75%. A share already
// passed at the first estimate stays empty: attached midway, copyeta said nothing then.
class checkpoints {
 public:
  void record(const std::optional<estimate>& before, const estimate& now, wall_clock::time_point wall);
  // {"25": {estimate keys..., "wall"}, "50": null, "75": ...}
  nlohmann::ordered_json json() const;
  // "  at 25%: copyeta said 3:30pm ± 1 hour\n" per recorded share.
  std::string text(const format_options& options) const;
  void print(std::FILE* out, const format_options& options) const;

 private:
  struct said {
    double share;
    std::optional<estimate> e;
    wall_clock::time_point wall;
  };
  std::array<said, 3> said_{{{0.25, {}, {}}, {0.5, {}, {}}, {0.75, {}, {}}}};
};

// The wall-clock time as a finish would print it: "3:25pm", "3:25:07pm".
std::string format_clock(wall_clock::time_point wall, const format_options& options);

}  // namespace copyeta::cli
