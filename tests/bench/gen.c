// Sends N RFC 3164 datagrams of SIZE bytes to a unix datagram socket, blocking, like local
// programs logging through syslog(3). Usage: gen SOCKET N SIZE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 4) return 2;
  const long n = atol(argv[2]);
  const int size = atoi(argv[3]);
  int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
  for (int tries = 0; connect(fd, (struct sockaddr*)&a, sizeof a) != 0; ++tries) {
    if (tries > 500) return 1;
    usleep(10000);  // waiting for the receiver to bind
  }
  char msg[4096];
  for (long i = 0; i < n; ++i) {
    int len = snprintf(msg, sizeof msg, "<14>Nov 24 21:00:00 bench[42]: message %ld ", i);
    while (len < size) msg[len++] = 'x';
    if (send(fd, msg, (size_t)size, 0) != size) return 1;
  }
  return 0;
}
