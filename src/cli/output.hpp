// Standard output and standard error when their reader may go away: `copyeta pipe | head -1`, a
// closed terminal, a full disk.
//
// SIGPIPE is ignored (ignore_sigpipe() in main), so a reader that is gone shows up as a failed
// write (EPIPE) instead of killing copyeta on the spot: killed, it would lose the summary, and
// `pipe` would stop reading its input, so the copy tool writing into it would die of SIGPIPE in
// turn. A sink that failed once writes nothing more; the command says so once and carries on
// where that makes sense (pipe reads its input to the end), then exits with
// exit_output_closed (141, as the shell reports a death by SIGPIPE) or, for another write error
// (ENOSPC, EIO), exit_input_error.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace copyeta::cli {

void ignore_sigpipe() noexcept;

class sink {
 public:
  explicit sink(std::FILE* file) noexcept : file_(file) {}

  // Writes `text` and flushes it. False once any write to this sink failed: nothing more is
  // written then.
  bool write(std::string_view text) noexcept;

  std::FILE* file() const noexcept { return file_; }
  bool failed() const noexcept { return error_ != 0; }
  // errno of the first failed write (EPIPE: the reader is gone), or 0.
  int error() const noexcept { return error_; }

 private:
  std::FILE* file_;
  int error_ = 0;
};

// "standard output closed early (broken pipe)", "cannot write to standard output: No space
// left on device": what the user is told about a failed write of errno `err` to `what`.
std::string write_error_message(std::string_view what, int err);
// The exit code of a command whose output failed with errno `err`.
int write_error_exit_code(int err) noexcept;

// At the end of main(): flushes stdout; when that or an earlier buffered write failed and the
// command did not already say so (mark_write_error_reported), says so on stderr. Returns the
// exit code: `code` when all went out, else write_error_exit_code().
int finish_stdout(int code) noexcept;
void mark_write_error_reported() noexcept;

}  // namespace copyeta::cli
