// A user's program: feeds a steady copy to the default model and checks the estimate.
// Shared by every consumer test (find_package, add_subdirectory, pkg-config).
#include <copyeta/copyeta.hpp>

#include <cstdio>

int main() {
  auto estimator = copyeta::make_estimator("default");
  // 10 MB/s of a 1 GB copy, one sample a second.
  const copyeta::amount total = 1000000000;
  for (int i = 0; i <= 10; ++i) {
    estimator->add({static_cast<double>(i), static_cast<copyeta::amount>(i) * 10000000, total});
  }
  const copyeta::estimate e = estimator->estimate(10.0);
  std::printf("copyeta %s: state %.*s, remaining %.1f s in [%.1f, %.1f]\n", COPYETA_VERSION_STRING,
              static_cast<int>(copyeta::to_string(e.state).size()),
              copyeta::to_string(e.state).data(), e.remaining, e.lo, e.hi);
  return e.state == copyeta::state::ok && e.remaining > 0.0 ? 0 : 1;
}
