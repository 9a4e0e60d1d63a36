// Tiny: reads a number from argv (default 41) and prints it plus one.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long n = argc > 1 ? strtol(argv[1], NULL, 10) : 41;
  printf("%ld\n", n + 1);
  return 0;
}
