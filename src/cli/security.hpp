// copyeta must never run with privileges it was not given by the user running it.
//
// Installed setuid or setgid (or with file capabilities), any user could have it read other
// users' /proc entries (which files they have open, how far they are) and, through
// --proc-root, any directory. So it refuses to run then, before parsing anything.
#pragma once

#include <optional>
#include <string>

namespace copyeta::cli {

struct credentials {
  unsigned uid = 0, euid = 0, gid = 0, egid = 0;
  bool secure_exec = false;  // AT_SECURE: the kernel raised privileges at exec
};

// This process's.
credentials current_credentials() noexcept;

// Why copyeta refuses to run with these credentials, or nullopt when it may.
std::optional<std::string> privilege_problem(const credentials& c);

}  // namespace copyeta::cli
