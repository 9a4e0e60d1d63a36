// A fixed amount of integer work per unit: argv[1] units (default 100) of one million LCG steps.
// Deterministic and proportional to the argument, so its instruction count grows with it (+10% units →
// +10% inner instructions); the instruction-count tests run it under valgrind/perf.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long units = argc > 1 ? strtol(argv[1], NULL, 10) : 100;
  volatile unsigned long seed = 1;
  unsigned long x = seed;
  for (long u = 0; u < units; u++)
    for (int i = 0; i < 1000000; i++) x = x * 6364136223846793005UL + 1442695040888963407UL;
  printf("work(%ld) = %lu\n", units, x);
  return 0;
}
