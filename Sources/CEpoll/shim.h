// Linux epoll(7) and eventfd(2): Swift's Glibc module does not export these headers.
#include <sys/epoll.h>
#include <sys/eventfd.h>
