// fleet.cpp: 2,000 mailboxes copied 16 at a time, followed as one forecast.
#include <copyeta/copyeta.hpp>

#include <cmath>
#include <cstdio>
#include <deque>
#include <queue>
#include <random>
#include <vector>

int main() {
  std::mt19937_64 rng(42);
  std::lognormal_distribution<double> mailbox(std::log(300e6), 1.2);  // sizes in bytes
  std::vector<copyeta::amount> sizes(2000);
  for (auto& s : sizes) s = static_cast<copyeta::amount>(mailbox(rng));

  copyeta::fleet_options options;
  options.slots = 16;  // the concurrency limit
  copyeta::fleet fleet(options);
  fleet.add_items(sizes);  // the queue, before the first job starts

  // A toy coordinator: a job takes 20 s plus its bytes at 8 MB/s (give or take 30%), and 3% of
  // attempts fail halfway and go back to the queue. Time is passed in, so this runs at once.
  std::deque<std::uint64_t> queue;
  for (std::uint64_t id = 0; id < sizes.size(); ++id) queue.push_back(id);
  struct job { double end; std::uint64_t id; bool fails; };
  auto later = [](const job& a, const job& b) { return a.end > b.end; };
  std::priority_queue<job, std::vector<job>, decltype(later)> running(later);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  auto start = [&](double t) {
    if (queue.empty()) return;
    const std::uint64_t id = queue.front();
    queue.pop_front();
    fleet.job_started(id, t, sizes[id]);
    const double d = (20.0 + sizes[id] / 8e6) * (0.7 + 0.6 * u(rng));
    const bool fails = u(rng) < 0.03;
    running.push({t + (fails ? d / 2 : d), id, fails});
  };
  for (int slot = 0; slot < 16; ++slot) start(0.0);

  int finished = 0, next_report = 200;
  double t = 0.0;
  while (!running.empty()) {
    const job j = running.top();
    running.pop();
    t = j.end;
    if (j.fails) {
      fleet.job_failed(j.id, t);  // queued again
      queue.push_back(j.id);
    } else {
      fleet.job_finished(j.id, t);
      if (++finished == next_report) {
        const copyeta::fleet_estimate e = fleet.estimate(t);
        std::printf("%4d done at %-22s left: %s\n", finished,
                    copyeta::format_duration(t).c_str(),
                    copyeta::format_remaining(e.to_estimate()).c_str());
        next_report += 200;
      }
    }
    start(t);
  }
  std::printf("all done at %s\n", copyeta::format_duration(t).c_str());
}
