/* A C user's program: the C API (copyeta/copyeta.h) on a steady copy, from a project that
 * compiles C only. Shared by the C consumer tests (find_package, pkg-config). */
#include <copyeta/copyeta.h>

#include <stdio.h>

int main(void) {
  copyeta_monitor* monitor = NULL;
  copyeta_estimate e;
  char text[128];
  /* 10 MB/s of a 1 GB copy, one sample a second. */
  const uint64_t total = 1000000000;
  int i;
  if (copyeta_monitor_create("default", 0.8, NULL, &monitor) != COPYETA_OK) {
    fprintf(stderr, "copyeta: %s\n", copyeta_last_error());
    return 1;
  }
  for (i = 0; i <= 10; ++i) copyeta_monitor_add(monitor, (double)i, (uint64_t)i * 10000000, &total);
  e.struct_size = sizeof e;
  if (copyeta_monitor_estimate(monitor, 10.0, &e) != COPYETA_OK ||
      copyeta_format(&e, COPYETA_FORMAT_REMAINING, 0.0, 0, text, sizeof text, NULL) != COPYETA_OK) {
    fprintf(stderr, "copyeta: %s\n", copyeta_last_error());
    copyeta_monitor_destroy(monitor);
    return 1;
  }
  printf("copyeta %s (C ABI %d): state %s, remaining %s\n", copyeta_version(),
         copyeta_abi_version(), copyeta_state_name(e.state), text);
  copyeta_monitor_destroy(monitor);
  return e.state == COPYETA_STATE_OK && e.remaining > 0.0 ? 0 : 1;
}
