#include "security.hpp"

#include <fmt/format.h>

#include <sys/auxv.h>
#include <unistd.h>

namespace copyeta::cli {

credentials current_credentials() noexcept {
  credentials c;
  c.uid = ::getuid();
  c.euid = ::geteuid();
  c.gid = ::getgid();
  c.egid = ::getegid();
  c.secure_exec = ::getauxval(AT_SECURE) != 0;
  return c;
}

std::optional<std::string> privilege_problem(const credentials& c) {
  if (c.uid != c.euid)
    return fmt::format("copyeta is running setuid (user {}, effective user {})", c.uid, c.euid);
  if (c.gid != c.egid)
    return fmt::format("copyeta is running setgid (group {}, effective group {})", c.gid, c.egid);
  if (c.secure_exec)
    return std::string("copyeta was started with raised privileges (file capabilities)");
  return std::nullopt;
}

}  // namespace copyeta::cli
