// Heap allocations counted by the test binary's replacement of the global operator new, which
// is defined once, in test_models.cpp: it counts every operator new (plain, array, aligned,
// nothrow) made by the calling thread and forwards to malloc/free, changing nothing else. Tests
// read the count before and after the code under test.
#pragma once

namespace copyeta::testing {

long allocations_on_this_thread() noexcept;

}  // namespace copyeta::testing
