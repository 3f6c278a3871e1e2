// The physical limit: recvmmsg(128) from the unix socket → writev to TCP, nothing else done with
// the bytes. It reads as sluice's devlog input does, so that both ask the kernel for the same
// work per datagram: when a read comes up short it sleeps until about 32 more datagrams should
// have arrived (10-200 us) instead of waking for each one; when the socket is empty it polls.
// With "credentials" it also takes each sender's (SO_PASSCRED), as sluice's defaults do.
// Usage: bare SOCKET PORT [credentials]
#define _GNU_SOURCE
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define BATCH 128
#define SLOT 2048
#define GATHER 32
#define MIN_WAIT_NS 10000
#define MAX_WAIT_NS 200000

static uint64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (uint64_t)t.tv_sec * 1000000000 + (uint64_t)t.tv_nsec;
}

int main(int argc, char** argv) {
  if (argc != 3 && !(argc == 4 && strcmp(argv[3], "credentials") == 0)) return 2;
  const int credentials = argc == 4;
  int u = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_un ua = {.sun_family = AF_UNIX};
  strncpy(ua.sun_path, argv[1], sizeof ua.sun_path - 1);
  unlink(argv[1]);
  if (bind(u, (struct sockaddr*)&ua, sizeof ua)) return 1;
  int on = 1;
  if (credentials && setsockopt(u, SOL_SOCKET, SO_PASSCRED, &on, sizeof on)) return 1;
  int t = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in ta = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(t, (struct sockaddr*)&ta, sizeof ta)) return 1;
  static char data[BATCH][SLOT + 1];
  static char control[BATCH][CMSG_SPACE(sizeof(struct ucred))];
  struct mmsghdr m[BATCH];
  struct iovec in[BATCH], out[BATCH];
  uint64_t last = now_ns();
  for (;;) {
    for (int i = 0; i < BATCH; ++i) {
      in[i] = (struct iovec){data[i], SLOT};
      m[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &in[i], .msg_iovlen = 1}};
      if (credentials) {
        m[i].msg_hdr.msg_control = control[i];
        m[i].msg_hdr.msg_controllen = sizeof control[i];
      }
    }
    const int n = recvmmsg(u, m, BATCH, MSG_DONTWAIT, NULL);
    const uint64_t start = now_ns(), cycle = start - last;
    last = start;
    if (n <= 0) {
      struct pollfd p = {.fd = u, .events = POLLIN};
      poll(&p, 1, -1);
      last = now_ns();
      continue;
    }
    for (int i = 0; i < n; ++i) {
      data[i][m[i].msg_len] = '\n';
      out[i] = (struct iovec){data[i], m[i].msg_len + 1};
    }
    if (writev(t, out, n) < 0) return 1;
    if (n < BATCH) {
      uint64_t wait = GATHER * cycle / (uint64_t)n;
      wait = wait < MIN_WAIT_NS ? MIN_WAIT_NS : wait > MAX_WAIT_NS ? MAX_WAIT_NS : wait;
      nanosleep(&(struct timespec){0, (long)wait}, NULL);
    }
  }
}
