// Accepts TCP connections on 127.0.0.1:PORT and counts LF-terminated lines until N arrived,
// then prints the count and exits. Usage: sink PORT N
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 3) return 2;
  const long want = atol(argv[2]);
  int l = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(l, (struct sockaddr*)&a, sizeof a) || listen(l, 16)) return 1;
  struct pollfd fds[17] = {{.fd = l, .events = POLLIN}};
  int nfds = 1;
  long lines = 0;
  static char buf[1 << 16];
  while (lines < want) {
    if (poll(fds, nfds, 60000) <= 0) break;  // a minute of silence: report what came
    if ((fds[0].revents & POLLIN) && nfds < 17) fds[nfds++] = (struct pollfd){.fd = accept(l, 0, 0), .events = POLLIN};
    for (int i = 1; i < nfds; ++i) {
      if (!fds[i].revents) continue;
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r <= 0) { close(fds[i].fd); fds[i--] = fds[--nfds]; continue; }
      for (ssize_t k = 0; k < r; ++k) lines += buf[k] == '\n';
    }
  }
  printf("%ld\n", lines);
  return 0;
}
