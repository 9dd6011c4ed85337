// Compiles every definition of the library once (fmt's format.cc, spdlog's spdlog.cpp).
// Header-only users get the same code inline through COPYETA_HEADER_ONLY.
#ifdef COPYETA_HEADER_ONLY
#error "src/copyeta.cpp is the compiled library; do not build it with COPYETA_HEADER_ONLY"
#endif

#include <copyeta/backtest-inl.hpp>
#include <copyeta/calibration-inl.hpp>
#include <copyeta/calibration_evidence-inl.hpp>
#include <copyeta/errors-inl.hpp>
#include <copyeta/estimate-inl.hpp>
#include <copyeta/estimator-inl.hpp>
#include <copyeta/fleet-inl.hpp>
#include <copyeta/format-inl.hpp>
#include <copyeta/input_policy-inl.hpp>
#include <copyeta/models-inl.hpp>
#include <copyeta/models/average-inl.hpp>
#include <copyeta/models/default_model-inl.hpp>
#include <copyeta/models/drift_diffusion-inl.hpp>
#include <copyeta/models/indicatif-inl.hpp>
#include <copyeta/models/kalman-inl.hpp>
#include <copyeta/models/progress-inl.hpp>
#include <copyeta/models/pv-inl.hpp>
#include <copyeta/models/rich-inl.hpp>
#include <copyeta/models/robust_window-inl.hpp>
#include <copyeta/models/rsync-inl.hpp>
#include <copyeta/models/tqdm-inl.hpp>
#include <copyeta/monitor-inl.hpp>
#include <copyeta/parsers/aws_s3-inl.hpp>
#include <copyeta/parsers/curl-inl.hpp>
#include <copyeta/parsers/dd-inl.hpp>
#include <copyeta/parsers/ddrescue-inl.hpp>
#include <copyeta/parsers/etcher-inl.hpp>
#include <copyeta/parsers/generic-inl.hpp>
#include <copyeta/parsers/ghost-inl.hpp>
#include <copyeta/parsers/nx_migrator-inl.hpp>
#include <copyeta/parsers/ovirt_img-inl.hpp>
#include <copyeta/parsers/proxcenter-inl.hpp>
#include <copyeta/parsers/proxmox-inl.hpp>
#include <copyeta/parsers/pv-inl.hpp>
#include <copyeta/parsers/qemu_img-inl.hpp>
#include <copyeta/parsers/rclone-inl.hpp>
#include <copyeta/parsers/rsync-inl.hpp>
#include <copyeta/parsers/s3p-inl.hpp>
#include <copyeta/parsers/tqdm-inl.hpp>
#include <copyeta/parsers/wget-inl.hpp>
#include <copyeta/parsers/zfs_send-inl.hpp>
#include <copyeta/parsers/zuluscsi-inl.hpp>
#include <copyeta/progress_line-inl.hpp>
#include <copyeta/replay-inl.hpp>
#include <copyeta/scoring-inl.hpp>
#include <copyeta/shared_monitor-inl.hpp>
#include <copyeta/trace-inl.hpp>
#include <copyeta/units-inl.hpp>
