#include "procfs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string_view>

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace copyeta::cli {
namespace {

process_error error_for(int err, const std::string& what) {
  const std::string message = fmt::format("{}: {}", what, std::strerror(err));
  switch (err) {
    case ENOENT:
    case ESRCH:
      return {process_error::kind::gone, message};
    case EACCES:
    case EPERM:
      return {process_error::kind::permission_denied, message};
    default:
      return {process_error::kind::unreadable, message};
  }
}

// The whole of a small /proc file. These files are generated on read and report a size of 0,
// so read until the end rather than by st_size.
std::string read_text(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw error_for(errno, path);
  std::string text;
  std::array<char, 4096> buffer{};
  constexpr std::size_t limit = 1 << 20;  // cmdline and meminfo are far smaller
  while (text.size() < limit) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      throw error_for(err, path);
    }
    if (n == 0) break;
    text.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  return text;
}

std::optional<std::uint64_t> to_u64(std::string_view s, int base = 10) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value, base);
  if (ec != std::errc() || end == s.data()) return std::nullopt;
  return value;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\n");
  return s.substr(first, last - first + 1);
}

// The value after "key:" in a "key:\tvalue" file (fdinfo, status, io, meminfo); the first
// whitespace-separated word of it.
std::optional<std::string_view> field(std::string_view text, std::string_view key) {
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = std::min(text.find('\n', at), text.size());
    const std::string_view line = text.substr(at, end - at);
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 &&
        line[key.size()] == ':') {
      const std::string_view value = trim(line.substr(key.size() + 1));
      return value.substr(0, value.find_first_of(" \t"));
    }
    at = end + 1;
  }
  return std::nullopt;
}

std::uint64_t required_u64(std::string_view text, std::string_view key, const std::string& path,
                           int base = 10) {
  const auto value = field(text, key);
  const auto number = value ? to_u64(*value, base) : std::nullopt;
  if (!number)
    throw process_error(process_error::kind::unreadable,
                        fmt::format("{}: no number for '{}'", path, key));
  return *number;
}

std::string read_link(const std::string& path) {
  std::array<char, 4096> target{};
  const ssize_t n = ::readlink(path.c_str(), target.data(), target.size() - 1);
  if (n < 0) throw error_for(errno, path);
  return std::string(target.data(), static_cast<std::size_t>(n));
}

std::optional<std::uint64_t> block_device_size(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return std::nullopt;
  std::uint64_t size = 0;
  const int rc = ::ioctl(fd, BLKGETSIZE64, &size);
  ::close(fd);
  if (rc != 0) return std::nullopt;
  return size;
}

// The fields of /proc/PID/stat from field 3 (the state) on. The command name in parentheses
// may hold spaces and ')': fields count from the last ')'.
std::string_view stat_fields(const std::string& text, const std::string& where) {
  const auto close = text.rfind(')');
  if (close == std::string::npos)
    throw process_error(process_error::kind::unreadable, fmt::format("{}: no ')'", where));
  return std::string_view(text).substr(close + 1);
}

}  // namespace

procfs::procfs(std::string root) : root_(std::move(root)) {}

std::string procfs::path(int pid, const char* entry) const {
  return fmt::format("{}/{}/{}", root_, pid, entry);
}

std::vector<int> procfs::pids() const {
  std::vector<int> result;
  DIR* dir = ::opendir(root_.c_str());
  if (!dir) throw error_for(errno, root_);
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name(entry->d_name);
    int pid = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (ec == std::errc() && end == name.data() + name.size() && pid > 0) result.push_back(pid);
  }
  ::closedir(dir);
  std::sort(result.begin(), result.end());
  return result;
}

std::string procfs::comm(int pid) const {
  return std::string(trim(read_text(path(pid, "comm"))));
}

std::vector<std::string> procfs::cmdline(int pid) const {
  const std::string text = read_text(path(pid, "cmdline"));
  std::vector<std::string> args;
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = std::min(text.find('\0', at), text.size());
    args.emplace_back(text.substr(at, end - at));
    at = end + 1;
  }
  return args;
}

std::string procfs::cwd(int pid) const { return read_link(path(pid, "cwd")); }

bool procfs::exited(int pid) const {
  const std::string where = path(pid, "stat");
  const std::string text = read_text(where);
  const std::string_view fields = stat_fields(text, where);
  const auto state = fields.find_first_not_of(' ');
  return state != std::string_view::npos && (fields[state] == 'Z' || fields[state] == 'X');
}

std::optional<int> procfs::exit_status(int pid) const {
  const std::string where = path(pid, "stat");
  const std::string text = read_text(where);
  std::string_view rest = stat_fields(text, where);
  for (int fieldno = 3; fieldno <= 52; ++fieldno) {
    rest = rest.substr(std::min(rest.find_first_not_of(" \n"), rest.size()));
    if (rest.empty()) return std::nullopt;
    const auto end = std::min(rest.find_first_of(" \n"), rest.size());
    if (fieldno == 52) {
      const auto status = to_u64(rest.substr(0, end));
      if (!status) return std::nullopt;
      return static_cast<int>(*status);
    }
    rest = rest.substr(end);
  }
  return std::nullopt;
}

int procfs::parent(int pid) const {
  const std::string where = path(pid, "stat");
  const std::string text = read_text(where);
  std::string_view rest = stat_fields(text, where);
  // " S 1234 ...": the state, then the parent.
  rest = rest.substr(std::min(rest.find_first_not_of(' '), rest.size()));
  rest = rest.substr(std::min(rest.find(' '), rest.size()));
  rest = rest.substr(std::min(rest.find_first_not_of(' '), rest.size()));
  const auto parent = to_u64(rest.substr(0, rest.find(' ')));
  if (!parent)
    throw process_error(process_error::kind::unreadable, fmt::format("{}: no parent", where));
  return static_cast<int>(*parent);
}

std::uint64_t procfs::start_ticks(int pid) const {
  const std::string where = path(pid, "stat");
  const std::string text = read_text(where);
  std::string_view rest = stat_fields(text, where);
  // After ')' come fields 3 (state) onwards; the start time is field 22.
  for (int fieldno = 3; fieldno <= 22; ++fieldno) {
    rest = rest.substr(std::min(rest.find_first_not_of(' '), rest.size()));
    const auto end = std::min(rest.find(' '), rest.size());
    if (fieldno == 22) {
      if (const auto ticks = to_u64(rest.substr(0, end))) return *ticks;
      break;
    }
    rest = rest.substr(end);
  }
  throw process_error(process_error::kind::unreadable,
                      fmt::format("{}: no start time in field 22", where));
}

unsigned procfs::uid(int pid) const {
  const std::string where = path(pid, "status");
  return static_cast<unsigned>(required_u64(read_text(where), "Uid", where));
}

std::vector<open_file> procfs::files(int pid) const {
  const std::string fd_dir = path(pid, "fd");
  DIR* dir = ::opendir(fd_dir.c_str());
  if (!dir) throw error_for(errno, fd_dir);
  std::vector<int> fds;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name(entry->d_name);
    int fd = 0;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), fd);
    if (ec == std::errc() && end == name.data() + name.size()) fds.push_back(fd);
  }
  ::closedir(dir);
  std::sort(fds.begin(), fds.end());

  std::vector<open_file> files;
  for (const int fd : fds) {
    // A file closed between the listing and these reads is simply skipped.
    open_file f;
    f.fd = fd;
    const std::string link = fmt::format("{}/{}", fd_dir, fd);
    try {
      f.path = read_link(link);
      const std::string where = fmt::format("{}/{}/fdinfo/{}", root_, pid, fd);
      const std::string info = read_text(where);
      f.pos = required_u64(info, "pos", where);
      const auto flags = required_u64(info, "flags", where, 8);
      f.access = (flags & O_ACCMODE) == O_WRONLY ? access_mode::write
                 : (flags & O_ACCMODE) == O_RDWR ? access_mode::read_write
                                                 : access_mode::read;
    } catch (const process_error& e) {
      if (e.what_kind() == process_error::kind::gone) continue;
      throw;
    }
    // stat through the link reaches the open file itself, even one renamed or deleted since.
    struct stat st {};
    if (::stat(link.c_str(), &st) == 0) {
      f.regular = S_ISREG(st.st_mode);
      f.device = static_cast<std::uint64_t>(st.st_dev);
      f.inode = static_cast<std::uint64_t>(st.st_ino);
      f.block_device = S_ISBLK(st.st_mode);
      if (f.regular) f.size = static_cast<std::uint64_t>(st.st_size);
      if (f.block_device) f.size = block_device_size(link).value_or(0);
    }
    files.push_back(std::move(f));
  }
  return files;
}

process_io procfs::io(int pid) const {
  const std::string where = path(pid, "io");
  const std::string text = read_text(where);
  return {required_u64(text, "rchar", where), required_u64(text, "wchar", where)};
}

double procfs::uptime() const {
  const std::string where = root_ + "/uptime";
  const std::string text = read_text(where);
  const std::string_view first = trim(text).substr(0, trim(text).find(' '));
  // "12345.67": whole and hundredths, read without the locale-dependent strtod.
  const auto dot = first.find('.');
  const auto whole = to_u64(first.substr(0, dot));
  if (!whole)
    throw process_error(process_error::kind::unreadable, fmt::format("{}: no uptime", where));
  double seconds = static_cast<double>(*whole);
  if (dot != std::string_view::npos) {
    const std::string_view digits = first.substr(dot + 1);
    if (const auto fraction = to_u64(digits))
      seconds += static_cast<double>(*fraction) / std::pow(10.0, static_cast<double>(digits.size()));
  }
  return seconds;
}

std::uint64_t procfs::unflushed_bytes() const {
  const std::string where = root_ + "/meminfo";
  const std::string text = read_text(where);
  return (required_u64(text, "Dirty", where) + required_u64(text, "Writeback", where)) * 1024;
}

namespace {
double centiseconds(const std::string& path, double fallback) {
  try {
    const auto value = to_u64(trim(read_text(path)));
    return value ? static_cast<double>(*value) / 100.0 : fallback;
  } catch (const process_error&) {
    return fallback;
  }
}
}  // namespace

double procfs::dirty_expire_seconds() const {
  return centiseconds(root_ + "/sys/vm/dirty_expire_centisecs", 30.0);
}

double procfs::writeback_interval_seconds() const {
  return centiseconds(root_ + "/sys/vm/dirty_writeback_centisecs", 5.0);
}

double process_age(const procfs& proc, int pid) {
  const double ticks_per_second = static_cast<double>(::sysconf(_SC_CLK_TCK));
  const double started = static_cast<double>(proc.start_ticks(pid)) / ticks_per_second;
  return std::max(0.0, proc.uptime() - started);
}

}  // namespace copyeta::cli
