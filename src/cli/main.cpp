// copyeta: when will this copy finish, and how sure are we?
#include "commands.hpp"

#include <copyeta/config.hpp>
#include <copyeta/errors.hpp>

#include <fmt/format.h>

#include <cstdio>

int main(int argc, char** argv) {
  CLI::App app{"copyeta: when will this copy finish, and how sure are we?", "copyeta"};
  app.set_version_flag("--version", COPYETA_VERSION_STRING);
  app.require_subcommand(1);
  app.footer(
      "Examples:\n"
      "  copyeta watch $(pidof dd)                 attach to a running copy\n"
      "  copyeta watch --auto                      every running cp, dd, rsync, tar, pv, ...\n"
      "  dd if=a.img of=/dev/sdb status=progress 2>&1 | copyeta pipe --total 32G\n"
      "  copyeta replay trace.csv --jsonl          a recorded copy, estimate per row\n"
      "  copyeta demo                              two real copies, and what copyeta said\n"
      "Each subcommand's --help has more; the manual is docs/copyeta.1.");

  int exit_code = copyeta::cli::exit_finished;
  copyeta::cli::register_demo(app, exit_code);
  copyeta::cli::register_replay(app, exit_code);
  copyeta::cli::register_backtest(app, exit_code);
  copyeta::cli::register_calibrate(app, exit_code);
  copyeta::cli::register_pipe(app, exit_code);
  copyeta::cli::register_watch(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return copyeta::cli::exit_usage_error;
  } catch (const copyeta::options_error& e) {
    fmt::print(stderr, "copyeta: {}\n", e.what());
    return copyeta::cli::exit_usage_error;
  } catch (const copyeta::input_error& e) {
    fmt::print(stderr, "copyeta: {}\n", e.what());
    return copyeta::cli::exit_input_error;
  }
  return exit_code;
}
