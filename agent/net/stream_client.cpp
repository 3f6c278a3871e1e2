#include "agent/net/stream_client.h"

#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sluice::net {
namespace {

constexpr uint64_t kAckPollMs = 5;

}  // namespace

bool connected_to_itself(int fd) {
  sockaddr_storage local{}, peer{};
  socklen_t local_len = sizeof local, peer_len = sizeof peer;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0 ||
      getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0)
    return false;
  return local_len == peer_len && std::memcmp(&local, &peer, local_len) == 0;
}

StreamClient::StreamClient(uv_loop_t* loop, Events events)
    : loop_(loop), events_(std::move(events)) {}

StreamClient::~StreamClient() { teardown(); }

void StreamClient::connect(const Address& address, TlsContext* tls,
                           const std::string& server_name) {
  teardown();
  address_ = address;
  server_name_ = server_name.empty() ? address.host : server_name;
  out_.clear();
  out_pos_ = 0;
  wire_written_ = wire_queued_ = plain_sent_ = plain_acked_ = 0;
  marks_.clear();
  if (tls) tls_ = tls->session(server_name_);
  state_ = State::resolving;
  resolver_ = new uv_getaddrinfo_t;
  resolver_->data = this;
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  const std::string port = std::to_string(address.port);
  int rc = uv_getaddrinfo(
      loop_, resolver_,
      [](uv_getaddrinfo_t* req, int status, addrinfo* res) {
        auto* self = static_cast<StreamClient*>(req->data);
        delete req;
        if (!self) {  // torn down while resolving
          uv_freeaddrinfo(res);
          return;
        }
        self->resolver_ = nullptr;
        self->on_resolved(status, res);
      },
      address.host.c_str(), port.c_str(), &hints);
  if (rc != 0) {
    delete resolver_;
    resolver_ = nullptr;
    fail(std::string("resolve: ") + uv_strerror(rc));
  }
}

void StreamClient::on_resolved(int status, addrinfo* res) {
  if (status != 0 || !res) {
    uv_freeaddrinfo(res);
    return fail("cannot resolve " + address_.host + ": " + uv_strerror(status));
  }
  fd_ = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int rc = fd_ < 0 ? -1 : ::connect(fd_, res->ai_addr, res->ai_addrlen);
  uv_freeaddrinfo(res);
  if (fd_ < 0 || (rc != 0 && errno != EINPROGRESS)) {
    return fail("connect " + address_.str() + ": " + std::strerror(errno));
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  state_ = State::connecting;
  poll_ = new uv_poll_t;
  uv_poll_init(loop_, poll_, fd_);
  poll_->data = this;
  poll_events_ = 0;
  ack_timer_ = new uv_timer_t;
  uv_timer_init(loop_, ack_timer_);
  ack_timer_->data = this;
  update_poll();
}

void StreamClient::update_poll() {
  if (!poll_) return;
  int events = UV_READABLE;
  if (state_ == State::connecting || unsent() > 0) events |= UV_WRITABLE;
  // uv_poll_start takes the socket out of epoll and puts it back even when the events are
  // the same: two syscalls per send.
  if (events == poll_events_) return;
  poll_events_ = events;
  uv_poll_start(poll_, events, [](uv_poll_t* p, int status, int ev) {
    static_cast<StreamClient*>(p->data)->on_poll(status, ev);
  });
}

void StreamClient::on_poll(int status, int events) {
  if (status < 0) {
    // libuv reports a socket error (POLLERR) as EBADF: ask the socket what really happened.
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    if (state_ != State::connecting) update_acked();
    return fail((state_ == State::connecting ? "connect " : "connection to ") + address_.str() +
                ": " + std::strerror(err ? err : EIO));
  }
  if (state_ == State::connecting) {
    if (events & (UV_WRITABLE | UV_READABLE)) on_connect_ready();
    return;
  }
  if (events & UV_READABLE) read_incoming();
  if (state_ != State::idle && (events & UV_WRITABLE)) flush();
}

void StreamClient::on_connect_ready() {
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) return fail("connect " + address_.str() + ": " + std::strerror(err));
  if (connected_to_itself(fd_)) {
    return fail("connect " + address_.str() + ": nothing listens there (connected to itself)");
  }
  if (tls_) {
    state_ = State::handshaking;
    handshake();
    return;
  }
  state_ = State::open;
  update_poll();
  if (events_.connected) events_.connected();
}

void StreamClient::handshake() {
  std::string why;
  const TlsSession::Handshake step = tls_->handshake(why);
  pump_tls_output();
  switch (step) {
    case TlsSession::Handshake::done:
      state_ = State::open;
      update_poll();
      if (events_.connected) events_.connected();
      return;
    case TlsSession::Handshake::in_progress:
      flush();
      return;
    case TlsSession::Handshake::failed:
      return fail("TLS handshake with " + address_.str() + " failed: " + why);
  }
}

void StreamClient::send(std::string_view bytes) {
  if (state_ != State::open) return;
  plain_sent_ += bytes.size();
  if (!tls_) {
    wire_queued_ += bytes.size();
    // Nothing waiting: straight from the caller's bytes, keeping only what the socket left.
    std::string error;
    if (unsent() == 0) bytes.remove_prefix(write_some(bytes.data(), bytes.size(), error));
    if (!error.empty()) return fail(error);
    out_.append(bytes);
  } else {
    const size_t before = out_.size();
    std::string why;
    const bool ok = tls_->encrypt(bytes, out_, why);
    wire_queued_ += out_.size() - before;
    if (!ok) return fail("TLS write: " + why);
    marks_.emplace_back(wire_queued_, plain_sent_);
  }
  flush();
}

void StreamClient::pump_tls_output() {
  const size_t before = out_.size();
  tls_->take_output(out_);
  wire_queued_ += out_.size() - before;
}

size_t StreamClient::write_some(const char* data, size_t size, std::string& error) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::send(fd_, data + done, size - done, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        error = "send to " + address_.str() + ": " + std::strerror(errno);
      break;
    }
    done += static_cast<size_t>(n);
    wire_written_ += static_cast<uint64_t>(n);
  }
  return done;
}

void StreamClient::flush() {
  if (unsent() > 0) {
    std::string error;
    out_pos_ += write_some(out_.data() + out_pos_, unsent(), error);
    if (!error.empty()) return fail(error);
  }
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  } else if (out_pos_ > (1 << 20)) {
    out_.erase(0, out_pos_);  // keep the queue from growing by what was already written
    out_pos_ = 0;
  }
  update_poll();
  if (state_ == State::open) {
    update_acked();
    if (plain_acked_ < plain_sent_ && !uv_is_active(reinterpret_cast<uv_handle_t*>(ack_timer_))) {
      uv_timer_start(
          ack_timer_, [](uv_timer_t* t) { static_cast<StreamClient*>(t->data)->update_acked(); },
          kAckPollMs, kAckPollMs);
    }
  }
}

void StreamClient::update_acked() {
  if (fd_ < 0) return;
  int outq = 0;
  if (ioctl(fd_, SIOCOUTQ, &outq) != 0) outq = 0;
  const uint64_t wire_acked = wire_written_ - std::min<uint64_t>(wire_written_, outq);
  uint64_t plain = plain_acked_;
  if (!tls_) {
    plain = wire_acked;
  } else {
    while (!marks_.empty() && marks_.front().first <= wire_acked) {
      plain = marks_.front().second;
      marks_.pop_front();
    }
  }
  const bool advanced = plain > plain_acked_;
  plain_acked_ = plain;
  if (plain_acked_ == plain_sent_ && ack_timer_) uv_timer_stop(ack_timer_);
  if (advanced && events_.progress) events_.progress();
}

void StreamClient::read_incoming() {
  char buf[16384];
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n == 0) {
      update_acked();  // what the peer took before it closed still counts
      return fail("connection closed by " + address_.str(), true);
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      update_acked();
      return fail("receive from " + address_.str() + ": " + std::strerror(errno));
    }
    if (!tls_) continue;  // a syslog server has nothing to say; only EOF matters
    for (std::string_view wire(buf, static_cast<size_t>(n)); !wire.empty();) {
      const size_t taken = tls_->receive(wire);
      if (taken == 0) break;
      wire.remove_prefix(taken);
      if (state_ == State::handshaking) {
        handshake();
        if (state_ == State::idle) return;
      }
      if (!tls_->discard_incoming()) {
        update_acked();
        return fail("TLS connection closed by " + address_.str(), true);
      }
      pump_tls_output();
    }
  }
  if (state_ == State::open && unsent() > 0) flush();
}

void StreamClient::fail(const std::string& why, bool orderly) {
  teardown();
  if (events_.closed) events_.closed(why, orderly);
}

void StreamClient::close() { teardown(); }

void StreamClient::teardown() {
  state_ = State::idle;
  if (resolver_) {
    resolver_->data = nullptr;  // the callback frees it
    resolver_ = nullptr;
  }
  if (poll_) {
    uv_poll_stop(poll_);
    uv_close(reinterpret_cast<uv_handle_t*>(poll_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
    poll_ = nullptr;
  }
  if (ack_timer_) {
    uv_timer_stop(ack_timer_);
    uv_close(reinterpret_cast<uv_handle_t*>(ack_timer_),
             [](uv_handle_t* h) { delete reinterpret_cast<uv_timer_t*>(h); });
    ack_timer_ = nullptr;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  tls_.reset();
}

}  // namespace sluice::net
