#include "output.hpp"

#include "commands.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

#include <unistd.h>

namespace copyeta::cli {
namespace {

bool write_error_reported = false;

}  // namespace

void ignore_sigpipe() noexcept {
  struct sigaction action {};
  action.sa_handler = SIG_IGN;
  sigemptyset(&action.sa_mask);
  sigaction(SIGPIPE, &action, nullptr);
}

bool sink::write(std::string_view text) noexcept {
  if (error_ != 0) return false;
  errno = 0;
  const std::size_t written = std::fwrite(text.data(), 1, text.size(), file_);
  if (written == text.size() && std::fflush(file_) == 0) return true;
  error_ = errno != 0 ? errno : EIO;
  return false;
}

std::string write_error_message(std::string_view what, int err) {
  if (err == EPIPE) return fmt::format("{} closed early (broken pipe)", what);
  return fmt::format("cannot write to {}: {}", what, std::strerror(err));
}

int write_error_exit_code(int err) noexcept {
  return err == EPIPE ? exit_output_closed : exit_input_error;
}

void mark_write_error_reported() noexcept { write_error_reported = true; }

int finish_stdout(int code) noexcept {
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  const int err = errno != 0 ? errno : EIO;
  if (flushed && !std::ferror(stdout)) return code;
  if (write_error_reported) return code;
  // stderr may be gone too: write(2) straight, and never mind a failure.
  const std::string message =
      fmt::format("copyeta: {}\n", write_error_message("standard output", err));
  [[maybe_unused]] const ssize_t ignored = ::write(STDERR_FILENO, message.data(), message.size());
  return write_error_exit_code(err);
}

}  // namespace copyeta::cli
