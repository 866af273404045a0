// getrandom(2): the kernel's CSPRNG, for run tokens and codes. Swift's Glibc module does not export <sys/random.h>.
#include <sys/random.h>
