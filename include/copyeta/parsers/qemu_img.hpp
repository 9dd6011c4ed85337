// `qemu-img convert -p` (also behind `qm importdisk` on older Proxmox, vagrant-mutate, ...):
// a percentage redrawn with '\r', "    (12.34/100%)".
#pragma once

#include <copyeta/config.hpp>
#include <copyeta/progress_line.hpp>

#include <memory>
#include <optional>
#include <string_view>

namespace copyeta {
namespace parsers {

// One percent_only reading per "(P/100%)" line; no time, no bytes. Stateless.
class qemu_img_parser final : public line_parser {
 public:
  std::string_view format() const noexcept override { return "qemu_img"; }
  std::optional<progress_reading> feed(std::string_view line) override;
  void reset() noexcept override {}
};

// For the registry (progress_line-inl.hpp).
std::unique_ptr<line_parser> make_qemu_img_parser();

}  // namespace parsers
}  // namespace copyeta

#ifdef COPYETA_HEADER_ONLY
#include <copyeta/parsers/qemu_img-inl.hpp>
#endif
