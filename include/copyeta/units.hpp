// Sizes as copy tools print them, each in its own convention.
//
// contracts.md: on the command line `K M G T` (and `KiB MiB GiB TiB`) are powers of 1024 and
// `KB MB GB TB` powers of 1000 (dd and pv). Tools differ: curl's `k M G` are 1024-based, dd's
// "(118 GB, 110 GiB)" says both, rclone's "MBytes"/"MiB" are 1024-based, wget's "K"/"M" are
// 1024-based, Proxmox's "GiB" are 1024-based. A parser passes the convention it knows.
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/detail/text.hpp>
#include <copyeta/sample.hpp>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace copyeta {

enum class unit_convention : unsigned char {
  command_line,   // K M G T = 1024^n, KiB.. = 1024^n, KB MB GB TB = 1000^n (contracts.md)
  binary,         // every prefix 1024^n, whatever its spelling (curl, wget, rclone, Proxmox)
  decimal_si,     // kB MB GB = 1000^n and KiB MiB GiB = 1024^n (dd, ddrescue, docker)
};

// "32G", "1.5 GiB", "105.45M", "4077k", "118 GB", "512" (bytes), "74.996 MBytes", "32.183Mi",
// "136.232 GiByte" (rclone). Leading and trailing spaces are allowed; a trailing "B", "Byte(s)"
// or "byte(s)" is optional. Prefixes: k/K M G T P E. The number is plain decimal ('.' only, no
// sign, no exponent, no thousands separators: parsers strip those in their own convention);
// integers are exact, fractions are rounded to the nearest unit. nullopt for
// anything else, for negative, non-finite or too large values (above 2^64 - 1).
std::optional<amount> parse_size(std::string_view text,
                                 unit_convention convention = unit_convention::command_line);

// "0:02:50", "2:50", "1:02:03:04" (days), "11m49s", "1h2m3s", "19.8s", "3058 s", "5d 03h" (curl's
// "117d 05h" style), "42" (a bare number is seconds): seconds, or nullopt. The grammar is
// detail::text::duration's, which the tool parsers share.
std::optional<double> parse_duration(std::string_view text);


}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/units-inl.hpp>
#endif
