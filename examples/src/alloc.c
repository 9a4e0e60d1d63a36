// Allocates argv[1] MiB (default 64) of linear memory and touches every page, so the pages are resident:
// the peak-RSS tests compare a 64 MiB run with a 1 MiB one.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  long mib = argc > 1 ? strtol(argv[1], NULL, 10) : 64;
  size_t bytes = (size_t)mib << 20;
  unsigned char *p = malloc(bytes);
  if (p == NULL) {
    fprintf(stderr, "cannot allocate %ld MiB\n", mib);
    return 1;
  }
  memset(p, 0xA5, bytes);
  unsigned long sum = 0;
  for (size_t i = 0; i < bytes; i += 4096) sum += p[i];
  printf("touched %ld MiB (%lu)\n", mib, sum);
  return 0;
}
