// The copyeta subcommands: each file registers one on the application.
#pragma once

#include <CLI/CLI.hpp>

namespace copyeta::cli {

// Exit codes of contracts.md.
inline constexpr int exit_finished = 0;
inline constexpr int exit_input_error = 1;
inline constexpr int exit_usage_error = 2;
inline constexpr int exit_target_gone = 3;  // the input ended before the copy finished
inline constexpr int exit_refused = 4;  // installed setuid or setgid: copyeta will not run so
inline constexpr int exit_interrupted = 130;
// Standard output was closed by its reader (EPIPE): 128 + SIGPIPE, as a shell reports a
// program that SIGPIPE killed, but after the summary (output.hpp).
inline constexpr int exit_output_closed = 141;

// Each adds its subcommand; the callback stores the subcommand's exit code in `exit_code`.
void register_demo(CLI::App& app, int& exit_code);
void register_replay(CLI::App& app, int& exit_code);
void register_backtest(CLI::App& app, int& exit_code);
void register_calibrate(CLI::App& app, int& exit_code);
void register_pipe(CLI::App& app, int& exit_code);
void register_watch(CLI::App& app, int& exit_code);

}  // namespace copyeta::cli
