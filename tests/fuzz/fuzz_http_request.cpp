// The HTTP API server's request handling (libhttp-parser callbacks, request assembly, responses)
// driven over a real loopback connection on the server's own libuv loop, no sleeps: the loop is
// run without waiting until the server has read everything sent. Input: [n][n chunk lengths]
// [bytes]. The bytes are sent once whole and once cut into the chunks, each read by the server
// before the next is sent: the requests the handler sees must not depend on where reads split.
#include <http_parser.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/http/http_server.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using namespace sluice;
using std::string_view;

constexpr size_t kMaxBody = 64;  // small, so that 413 is in reach of small inputs

uv_loop_t loop;
http::Server* server;
std::vector<std::string> seen;                     // the requests of the current connection
std::vector<std::shared_ptr<http::Stream>> tails;  // open streams of the current connection

// The handler: checks what the server assembled and records it. /tail streams, /reset drops
// the connection, anything else is answered.
std::unique_ptr<http::Response> handle(const http::Request& r,
                                       const http::Server::StreamStarter& start) {
  FUZZ_CHECK(!r.method.empty() && r.method != "<unknown>");
  FUZZ_CHECK(r.body.size() <= kMaxBody);
  std::string s = r.method + ' ' + r.path + " ?" + r.query + " q=" + r.param("q") +
                  " unknown=" + r.unknown_param({"q", "app"}) + '\n';
  for (const auto& [name, value] : r.headers) {
    FUZZ_CHECK(!name.empty());
    for (char c : name) FUZZ_CHECK(!std::isupper(static_cast<unsigned char>(c)));
    s += name + ": " + value + '\n';
  }
  seen.push_back(s + r.body);
  if (r.path == "/tail") {
    tails.push_back(start("application/x-ndjson"));
    tails.back()->write("{}\n");
    return nullptr;
  }
  if (r.path == "/reset") return std::make_unique<http::Response>(http::Response{.reset = true});
  return std::make_unique<http::Response>(http::Response{200, "text/plain", "ok\n"});
}

// The server's side of the test connection, if it is still there (closing or not).
uv_handle_t* connection() {
  uv_handle_t* found = nullptr;
  uv_walk(
      &loop,
      [](uv_handle_t* h, void* arg) {
        if (h->type == UV_TCP && h->data != server) *static_cast<uv_handle_t**>(arg) = h;
      },
      &found);
  return found;
}

bool unread_input() {
  uv_handle_t* h = connection();
  uv_os_fd_t fd;
  int n = 0;
  if (!h || uv_is_closing(h) || uv_fileno(h, &fd) != 0 || ioctl(fd, FIONREAD, &n) != 0)
    return false;
  return n > 0;
}

// Keeps what the server answered: it must be a well-formed sequence of HTTP responses.
struct Client {
  int fd = -1;
  std::string received;
  void drain() {
    char buf[4096];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, MSG_DONTWAIT)) > 0;) received.append(buf, n);
  }
};

// Runs the loop (never blocking) until the server has read all it was sent.
void settle(Client& c) {
  for (int turns = 0, quiet = 0; quiet < 2; ++turns) {
    FUZZ_CHECK(turns < 10000);  // the server makes progress
    uv_run(&loop, UV_RUN_NOWAIT);
    c.drain();
    int unsent = 0;
    FUZZ_CHECK(ioctl(c.fd, SIOCOUTQNSD, &unsent) == 0);
    quiet = unread_input() || unsent > 0 ? 0 : quiet + 1;
  }
}

void check_responses(string_view bytes) {
  http_parser p;
  http_parser_init(&p, HTTP_RESPONSE);
  http_parser_settings s;
  http_parser_settings_init(&s);
  http_parser_execute(&p, &s, bytes.data(), bytes.size());
  if (HTTP_PARSER_ERRNO(&p) != HPE_OK) {
    std::fprintf(stderr, "bad responses (%s):\n%.*s\n", http_errno_name(HTTP_PARSER_ERRNO(&p)),
                 static_cast<int>(bytes.size()), bytes.data());
  }
  FUZZ_CHECK(HTTP_PARSER_ERRNO(&p) == HPE_OK);
}

// A signal (libFuzzer's timer) may interrupt connect(); the connection then completes on its
// own, and is waited for.
void connect_to_server(int fd) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int err = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 ? 0 : errno;
  if (err == EINTR) {
    pollfd p{fd, POLLOUT, 0};
    while (poll(&p, 1, -1) < 0 && errno == EINTR) {
    }
    socklen_t len = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  }
  if (err != 0) std::fprintf(stderr, "connect: %s\n", std::strerror(err));
  FUZZ_CHECK(err == 0);
}

struct Outcome {
  std::vector<std::string> requests;
  bool open;  // the connection was open and writable once everything was sent
};

Outcome run(const std::vector<string_view>& chunks) {
  Client c;
  c.fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  FUZZ_CHECK(c.fd >= 0);
  // No Nagle: each chunk goes out (and is read) at once, not after a delayed ACK.
  const int one = 1;
  setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  connect_to_server(c.fd);
  for (int turns = 0; !connection(); ++turns) {
    FUZZ_CHECK(turns < 10000);
    uv_run(&loop, UV_RUN_NOWAIT);
  }
  for (string_view chunk : chunks) {
    if (chunk.empty()) continue;
    // The server may have closed already: the rest is not read, which is fine.
    ssize_t sent;
    while ((sent = send(c.fd, chunk.data(), chunk.size(), MSG_NOSIGNAL)) < 0 && errno == EINTR) {
    }
    if (sent < 0) break;
    settle(c);
  }
  uv_handle_t* h = connection();
  Outcome out{seen, h && !uv_is_closing(h) && uv_is_writable(reinterpret_cast<uv_stream_t*>(h))};
  check_responses(c.received);
  // Reset rather than FIN: no TIME_WAIT left behind by millions of connections.
  const linger reset{1, 0};
  setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  close(c.fd);
  for (int turns = 0; connection(); ++turns) {
    FUZZ_CHECK(turns < 10000);  // a reset connection is closed and freed
    uv_run(&loop, UV_RUN_NOWAIT);
  }
  seen.clear();
  tails.clear();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  uv_loop_init(&loop);
  server = new http::Server(&loop, handle, kMaxBody);  // lives as long as the process
  std::string error;
  if (!server->listen("127.0.0.1:0", error)) {
    std::fprintf(stderr, "listen: %s\n", error.c_str());
    std::abort();
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t cuts = data[0] & 7;
  if (size < 1 + cuts) return 0;
  const string_view bytes(reinterpret_cast<const char*>(data) + 1 + cuts, size - 1 - cuts);
  std::vector<string_view> chunks;
  string_view rest = bytes;
  for (size_t i = 0; i < cuts; ++i) {
    const size_t n = std::min<size_t>(data[1 + i], rest.size());
    chunks.push_back(rest.substr(0, n));
    rest.remove_prefix(n);
  }
  chunks.push_back(rest);

  const Outcome whole = run({bytes});
  const Outcome split = run(chunks);
  // Once the server has closed (an error, Connection: close, a reset) what it still does with
  // the rest of a read is moot; while open, it must have seen the same requests.
  if (whole.open && split.open && whole.requests != split.requests) {
    for (const auto* o : {&whole, &split}) {
      std::fprintf(stderr, "%s:\n", o == &whole ? "whole" : "split");
      for (const auto& r : o->requests) std::fprintf(stderr, "[%s]\n", r.c_str());
    }
    FUZZ_CHECK(whole.requests == split.requests);
  }
  return 0;
}
