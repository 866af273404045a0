// Linux epoll(7) and eventfd(2), and glibc's malloc_trim(3): Swift's Glibc module does not export these headers.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <malloc.h>
