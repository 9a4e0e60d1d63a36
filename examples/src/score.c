// Prints its own figure of merit, like CoreMark's `Iterations/Sec`: `score: <rate>` and a JSON line.
// The score is argv[1] (default 123.4) scaled by a checksum that is 1 for the fixed workload, so a test
// can ask for an exact score and a "10% worse build" is simply a 10% lower argument.
#include <stdio.h>
#include <stdlib.h>

static unsigned long checksum(void) {
  unsigned long x = 1;
  for (int i = 0; i < 100000; i++) x = (x * 6364136223846793005UL + 1442695040888963407UL) >> 1;
  return x;
}

int main(int argc, char **argv) {
  double rate = argc > 1 ? strtod(argv[1], NULL) : 123.4;
  double one = checksum() ? 1.0 : 0.0;
  double score = rate * one;
  printf("running the workload\n");
  printf("score: %.1f\n", score);
  printf("{\"score\": %.1f, \"iterations\": 100000}\n", score);
  return 0;
}
