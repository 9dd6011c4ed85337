// copyeta demo: replays two traces compiled into the binary and prints, at each update, what
// copyeta would have said next to what people or the tool said, then the truth.
//
// Every copyeta figure printed here is computed now, by the library, from the embedded data:
// `copyeta demo --jsonl` prints the same estimates as `copyeta replay` on those files.
#include "commands.hpp"
#include "jsonl.hpp"

#include <demo_data.hpp>

#include <copyeta/format.hpp>
#include <copyeta/replay.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace copyeta::cli {
namespace {

struct demo_args {
  bool jsonl = false;
  double level = 0.8;
};

using wall_clock = std::chrono::system_clock;

// A local wall-clock time on the admins' calendar: seconds since local midnight of one day.
// The posts give no date; the demo says it takes the day of the failed migration the page
// describes, which matters only for day names such as "Wed 12:00am".
wall_clock::time_point admins_clock(double seconds_since_midnight) {
  std::tm day{};
  day.tm_year = 2009 - 1900;
  day.tm_mon = 7;  // August
  day.tm_mday = 25;
  day.tm_isdst = -1;
  const auto midnight = wall_clock::from_time_t(std::mktime(&day));
  return midnight + std::chrono::duration_cast<wall_clock::duration>(
                        std::chrono::duration<double>(seconds_since_midnight));
}

std::string clock_text(double seconds_since_midnight) {
  const auto minutes = static_cast<long>(seconds_since_midnight / 60.0 + 0.5);
  const long hour24 = minutes / 60 % 24;
  const long hour12 = hour24 % 12 == 0 ? 12 : hour24 % 12;
  return fmt::format("{}:{:02}{}", hour12, minutes % 60, hour24 < 12 ? "am" : "pm");
}

// Elapsed time as dd users read it: h:mm:ss.
std::string elapsed_text(double seconds) {
  const auto whole = static_cast<long>(seconds);
  return fmt::format("{}:{:02}:{:02}", whole / 3600, whole / 60 % 60, whole % 60);
}

void print_jsonl(std::string_view name, const estimate& e) {
  auto j = estimate_json(e);
  j["trace"] = name;
  fmt::print("{}", json_line(j));
}

// The 2009 e-mail store copy: what the admins posted, and what copyeta says on the same data.
void email_story(const demo_args& args) {
  struct post {
    const char* said;
    bool assumed_row;
  };
  // One entry per CSV row (src/cli/data/email_outage_2009.txt quotes the posts).
  const std::vector<post> posts{
      {"", true},
      {"\"approximately 2:00pm\"", true},
      {"\"now 2:15pm\"", false},
      {"\"3:30pm +/- 1 hour\"", false},
      {"\"3:20pm +/- 30 minutes\"", false},
      {"\"complete\"", false},
  };
  const trace input = parse_trace_csv(demo_data::email_csv, "email_outage_2009");
  monitor_options options;
  options.estimator.level = args.level;
  const auto results = replay(input, options);

  if (!args.jsonl) {
    fmt::print(
        "1. A 2009 e-mail outage: copying the mail store's disk image\n"
        "   The admins posted percentages and guesses (seed 000). copyeta sees the same\n"
        "   percentages. Assumed, not posted: the copy started at 9:07am and was at 13% at\n"
        "   9:45am - the steady rate that matches their 9:45am guess of 2:00pm and 42% at\n"
        "   11:10am. Times are the admins' (US Eastern); the posts give no date, so day names\n"
        "   take it to be Tue 25 Aug 2009, the day of the failed migration the page describes.\n\n"
        "   {:<8} {:>5}  {:<38} {}\n",
        "time", "done", "the admins said", fmt::format("copyeta ({:.0f}% interval)", args.level * 100));
  }
  for (std::size_t i = 1; i < results.size(); ++i) {
    const estimate& e = results[i].estimate;
    if (args.jsonl) {
      print_jsonl(input.name, e);
      continue;
    }
    const std::string said = fmt::format("{}{}", posts[i].said, posts[i].assumed_row ? " (row assumed)" : "");
    const std::string copyeta_said =
        e.state == state::finished ? "finished"
                                   : format_finish(e, admins_clock(e.t));
    fmt::print("   {:<8} {:>4.0f}%  {:<38} {}\n", clock_text(e.t), *e.fraction() * 100.0, said,
               copyeta_said);
  }
  if (!args.jsonl) {
    fmt::print("\n   Truth: the copy was complete by 3:25pm (the posts do not give the minute).\n\n");
  }
}

// A 120 GB dd to an SSD: dd prints bytes, seconds and its average rate, and no ETA at all.
void dd_story(const demo_args& args) {
  const trace input = parse_trace_csv(demo_data::dd_csv, "dd_progress_psbbn87_120GB_fsync_tail");
  monitor_options options;
  options.estimator.level = args.level;
  const auto results = replay(input, options);
  const double end = results.back().estimate.t;

  // Show the first row past each tenth of the way, the last progress line, and the end.
  std::vector<std::size_t> shown;
  double next_tenth = 0.1;
  for (std::size_t i = 0; i + 1 < results.size(); ++i) {
    const auto fraction = results[i].estimate.fraction();
    if (fraction && *fraction >= next_tenth) {
      shown.push_back(i);
      while (*fraction >= next_tenth) next_tenth += 0.1;
    }
  }
  if (shown.empty() || shown.back() != results.size() - 2) shown.push_back(results.size() - 2);

  if (!args.jsonl) {
    fmt::print(
        "2. dd writing a 120 GB image to an SSD (a real log: CosmicScale/PSBBN-Definitive-Project#87)\n"
        "   dd status=progress prints bytes, seconds and its average rate, and no ETA.\n\n"
        "   {:<9} {:>6}  {:<20} {}\n",
        "elapsed", "done", "dd said", fmt::format("copyeta: time left ({:.0f}% interval)", args.level * 100));
  }
  std::size_t held = 0;
  for (const std::size_t i : shown) {
    const estimate& e = results[i].estimate;
    if (args.jsonl) {
      print_jsonl(input.name, e);
      continue;
    }
    const double truth = end - e.t;
    if (e.has_remaining() && e.lo <= truth && truth <= e.hi) ++held;
    fmt::print("   {:<9} {:>5.1f}%  {:<20} {}\n", elapsed_text(e.t), *e.fraction() * 100.0,
               fmt::format("{:.1f} GB, {:.0f} MB/s", static_cast<double>(e.done) / 1e9,
                           static_cast<double>(e.done) / e.t / 1e6),
               format_remaining(e));
  }
  if (!args.jsonl) {
    fmt::print(
        "\n   Truth: dd returned at {} ({:.2f} s). Its last progress line, at {:.0f} s, already\n"
        "   showed 99.98%: the remaining {} went to the kernel flushing dirty pages,\n"
        "   which no progress line shows. copyeta's interval held the true time left at {} of\n"
        "   the {} rows shown.\n",
        elapsed_text(end), end, results[results.size() - 2].estimate.t,
        format_duration(end - results[results.size() - 2].estimate.t), held, shown.size());
  }
}

int run_demo(const demo_args& args) {
  // The e-mail story is told in the admins' time zone, whatever the user's is.
  setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
  tzset();
  if (!args.jsonl)
    fmt::print("copyeta demo: what copyeta would have said, next to what people and tools said.\n\n");
  email_story(args);
  dd_story(args);
  std::fflush(stdout);
  return exit_finished;
}

}  // namespace

void register_demo(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<demo_args>();
  CLI::App* cmd = app.add_subcommand("demo", "Replay two real copies and compare with what was said");
  cmd->footer(
      "Examples:\n"
      "  copyeta demo\n"
      "  copyeta demo --level 0.9\n"
      "  copyeta demo --jsonl | head");
  cmd->add_flag("--jsonl", args->jsonl,
                "Print copyeta's estimates for the rows shown as JSON lines (with a \"trace\" key)");
  cmd->add_option("--level", args->level, "Confidence level of the interval, in (0, 1)")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run_demo(*args); });
}

}  // namespace copyeta::cli
