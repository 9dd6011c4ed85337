#include "report.hpp"

#include "jsonl.hpp"

#include <fmt/format.h>

#include <cstdlib>

#include <unistd.h>

namespace copyeta::cli {

double unix_seconds(wall_clock::time_point wall) {
  return std::chrono::duration<double>(wall.time_since_epoch()).count();
}

bool use_color(std::FILE* out) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  return isatty(fileno(out)) != 0;
}

std::string status_line(const estimate& e, wall_clock::time_point wall,
                        const format_options& options, const line_style& style) {
  std::string line;
  const auto fraction = e.fraction();
  if (style.bar && fraction) {
    constexpr int width = 20;
    const int filled = static_cast<int>(*fraction * width);
    line = fmt::format("[{:#<{}}{:.<{}}] ", "", filled, "", width - filled);
  }
  line += format_status(e, wall, options);
  if (style.rate && e.rate && e.state != state::finished) {
    const double rate = std::max(0.0, *e.rate);
    line += options.bytes ? fmt::format("  {}/s", format_amount(static_cast<amount>(rate), options))
                          : fmt::format("  {:.3g}/s", rate);
  }
  if (!style.color) return line;
  const char* colour = e.state == state::stalled    ? "\033[33m"
                       : e.state == state::flushing ? "\033[36m"
                       : e.state == state::finished ? "\033[32m"
                                                    : nullptr;
  return colour ? fmt::format("{}{}\033[0m", colour, line) : line;
}

void checkpoints::record(const std::optional<estimate>& before, const estimate& now,
                         wall_clock::time_point wall) {
  const auto was = before ? before->fraction() : std::nullopt;
  const auto is = now.fraction();
  if (!was || !is || !now.has_remaining() || now.state == state::finished) return;
  for (said& s : said_)
    if (!s.e && *was < s.share && *is >= s.share) s = {s.share, now, wall};
}

nlohmann::ordered_json checkpoints::json() const {
  nlohmann::ordered_json all = nlohmann::ordered_json::object();
  for (const said& s : said_) {
    const auto key = fmt::format("{}", static_cast<int>(s.share * 100.0));
    if (!s.e) {
      all[key] = nullptr;
      continue;
    }
    auto at = estimate_json(*s.e);
    at["wall"] = unix_seconds(s.wall);
    all[key] = at;
  }
  return all;
}

std::string checkpoints::text(const format_options& options) const {
  std::string lines;
  for (const said& s : said_) {
    if (!s.e) continue;
    lines += fmt::format("  at {:>2}%: copyeta said {}\n", static_cast<int>(s.share * 100.0),
                         format_finish(*s.e, s.wall, options));
  }
  return lines;
}

void checkpoints::print(std::FILE* out, const format_options& options) const {
  fmt::print(out, "{}", text(options));
}

std::string format_clock(wall_clock::time_point wall, const format_options& options) {
  // A finish with nothing left, observed at `wall`: format_finish prints the time itself.
  estimate at{};
  at.state = state::ok;
  return format_finish(at, wall, options);
}

}  // namespace copyeta::cli
