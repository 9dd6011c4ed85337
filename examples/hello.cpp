// hello.cpp
#include <copyeta/copyeta.hpp>
#include <cstdio>

int main() {
  copyeta::monitor eta;  // the default model, 80% intervals
  for (int s = 0; s <= 60; ++s) eta.add({double(s), s * 50'000'000ull, 32ull << 30});  // t, done, total
  std::puts(copyeta::format_remaining(eta.estimate(60.0)).c_str());
}
