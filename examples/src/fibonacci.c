// Recursive Fibonacci: fib(N) computed REPEAT times (N from argv, default 32).
// REPEAT is a compile-time knob so tests can build an exactly k-times-slower artifact.
#include <stdio.h>
#include <stdlib.h>

#ifndef REPEAT
#define REPEAT 1
#endif

static unsigned fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 32;
  // Read n through a volatile each time so the compiler cannot hoist the pure call out of the loop.
  volatile unsigned vn = n, sink = 0;
  for (int i = 0; i < REPEAT; i++) sink += fib(vn);
  printf("fib(%u) = %u\n", n, sink / REPEAT);
  return 0;
}
