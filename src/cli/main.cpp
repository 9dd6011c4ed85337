// copyeta: when will this copy finish, and how sure are we?
#include "commands.hpp"
#include "output.hpp"
#include "security.hpp"

#include <copyeta/config.hpp>
#include <copyeta/errors.hpp>

#include <fmt/format.h>

#include <cstdio>
#include <system_error>

int main(int argc, char** argv) {
  // Before anything else: a setuid or setgid copyeta would read other users' /proc entries
  // (and any directory through --proc-root) for whoever runs it.
  if (const auto problem =
          copyeta::cli::privilege_problem(copyeta::cli::current_credentials())) {
    fmt::print(stderr,
               "copyeta: {}; it refuses to run with privileges its user does not have. Remove "
               "the setuid/setgid bits and capabilities (chmod u-s,g-s; setcap -r), and run it "
               "as the user whose processes it watches, or as root.\n",
               *problem);
    return copyeta::cli::exit_refused;
  }
  // A closed stdout is an EPIPE error copyeta reports, not a silent death (output.hpp).
  copyeta::cli::ignore_sigpipe();

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
    return copyeta::cli::finish_stdout(app.exit(e));
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return copyeta::cli::exit_usage_error;
  } catch (const copyeta::options_error& e) {
    fmt::print(stderr, "copyeta: {}\n", e.what());
    return copyeta::cli::exit_usage_error;
  } catch (const copyeta::input_error& e) {
    fmt::print(stderr, "copyeta: {}\n", e.what());
    return copyeta::cli::exit_input_error;
  } catch (const std::system_error& e) {
    // fmt::print failing to write: stdout closed by its reader (EPIPE), a full disk, ...
    std::fprintf(stderr, "copyeta: %s\n",
                 copyeta::cli::write_error_message("the output", e.code().value()).c_str());
    copyeta::cli::mark_write_error_reported();
    return copyeta::cli::write_error_exit_code(e.code().value());
  }
  return copyeta::cli::finish_stdout(exit_code);
}
