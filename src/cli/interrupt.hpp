// SIGINT for watch and pipe: the first Ctrl-C stops the loop so the summary is printed, then
// the command exits with 130.
#pragma once

namespace copyeta::cli {

// Installs the handler without SA_RESTART, so a blocking read() or sleep returns at once.
void catch_sigint();
bool interrupted() noexcept;

}  // namespace copyeta::cli
