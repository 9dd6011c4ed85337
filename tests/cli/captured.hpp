// Output streams for a session under test: a sink over a growing memory buffer, read back as
// text; and sinks whose reader is gone (a pipe with its read end closed) or whose disk is full.
#pragma once

#include <output.hpp>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <unistd.h>

namespace copyeta::cli::testing {

class captured {
 public:
  captured() : file_(::open_memstream(&buffer_, &size_)), out_(file_) {
    if (!file_) throw std::runtime_error("open_memstream failed");
  }
  ~captured() {
    std::fclose(file_);
    std::free(buffer_);
  }
  captured(const captured&) = delete;
  captured& operator=(const captured&) = delete;

  sink& out() { return out_; }
  std::string text() {
    std::fflush(file_);
    return std::string(buffer_, size_);
  }

 private:
  char* buffer_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
  sink out_;
};

// The write end of a pipe whose reader has gone: every write fails with EPIPE (SIGPIPE is
// ignored for the whole test program, as main() does for copyeta).
class closed_pipe {
 public:
  closed_pipe() {
    ignore_sigpipe();
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    ::close(fds[0]);
    file_ = ::fdopen(fds[1], "w");
    out_ = sink(file_);
  }
  ~closed_pipe() { std::fclose(file_); }
  closed_pipe(const closed_pipe&) = delete;
  closed_pipe& operator=(const closed_pipe&) = delete;
  sink& out() { return out_; }

 private:
  std::FILE* file_ = nullptr;
  sink out_{nullptr};
};

}  // namespace copyeta::cli::testing
