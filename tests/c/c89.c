/* copyeta.h in ISO C90 (-std=c89 -pedantic-errors): the header promises C89 with <stdint.h>.
 * A whole small use, so the build fails if the header ever needs C99. */
#include <copyeta/copyeta.h>

#include <stdio.h>

int main(void) {
  copyeta_monitor* m = NULL;
  copyeta_estimate e;
  char line[128];
  int s;
  const uint64_t total = 1000;
  if (copyeta_monitor_create("default", 0.8, NULL, &m) != COPYETA_OK) {
    fprintf(stderr, "%s\n", copyeta_last_error());
    return 1;
  }
  for (s = 0; s <= 10; ++s) copyeta_monitor_add(m, (double)s, (uint64_t)(s * 10), &total);
  e.struct_size = sizeof e;
  if (copyeta_monitor_estimate(m, 10.0, &e) != COPYETA_OK ||
      copyeta_format(&e, COPYETA_FORMAT_REMAINING, 0.0, 0, line, sizeof line, NULL) != COPYETA_OK) {
    fprintf(stderr, "%s\n", copyeta_last_error());
    copyeta_monitor_destroy(m);
    return 1;
  }
  printf("C89: %s %s\n", copyeta_state_name(e.state), line);
  copyeta_monitor_destroy(m);
  return e.state == COPYETA_STATE_OK ? 0 : 1;
}
