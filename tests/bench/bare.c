// The physical limit: recvmmsg(256) from the unix socket → writev to TCP, nothing else.
// Usage: bare SOCKET PORT
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define BATCH 256
#define SLOT 2048

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  int u = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un ua = {.sun_family = AF_UNIX};
  strncpy(ua.sun_path, argv[1], sizeof ua.sun_path - 1);
  unlink(argv[1]);
  if (bind(u, (struct sockaddr*)&ua, sizeof ua)) return 1;
  int t = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in ta = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[2])),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(t, (struct sockaddr*)&ta, sizeof ta)) return 1;
  static char data[BATCH][SLOT + 1];
  struct mmsghdr m[BATCH];
  struct iovec in[BATCH], out[BATCH];
  for (;;) {
    for (int i = 0; i < BATCH; ++i) {
      in[i] = (struct iovec){data[i], SLOT};
      m[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &in[i], .msg_iovlen = 1}};
    }
    int n = recvmmsg(u, m, BATCH, MSG_WAITFORONE, NULL);
    if (n <= 0) continue;
    for (int i = 0; i < n; ++i) {
      data[i][m[i].msg_len] = '\n';
      out[i] = (struct iovec){data[i], m[i].msg_len + 1};
    }
    if (writev(t, out, n) < 0) return 1;
  }
}
