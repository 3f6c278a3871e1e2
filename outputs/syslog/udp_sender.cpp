#include "outputs/syslog/udp_sender.h"

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/log.h"
#include "agent/uv_handle.h"

namespace sluice::syslog {
namespace {

constexpr size_t kBatch = 64;

}  // namespace

UdpSender::UdpSender(std::string name, AgentContext& ctx, net::Address address,
                     FormatOptions format, int64_t retry_max_ms)
    : Output(std::move(name), ctx),
      address_(std::move(address)),
      format_(std::move(format)),
      backoff_(100, retry_max_ms),
      retry_timer_(new_timer<uv_timer_t>(ctx.loop, this)) {}

UdpSender::~UdpSender() {
  if (poll_) uv_poll_stop(poll_);
  close_handle(poll_);
  close_handle(retry_timer_);
  if (fd_ >= 0) ::close(fd_);
}

void UdpSender::start() { resolve(); }

// Name resolution happens once per (re)try; a numeric address resolves without a lookup.
void UdpSender::resolve() {
  addrinfo hints{};
  hints.ai_socktype = SOCK_DGRAM;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(address_.port);
  int rc = getaddrinfo(address_.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) {
    log::limited(log::Level::warn, name(), "resolve", address_.host + ": " + gai_strerror(rc));
    return retry_later();
  }
  fd_ = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd_ < 0 || ::connect(fd_, res->ai_addr, res->ai_addrlen) != 0) {
    log::limited(log::Level::warn, name(), "connect", address_.str() + ": " + std::strerror(errno));
    freeaddrinfo(res);
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    return retry_later();
  }
  freeaddrinfo(res);
  int sndbuf = 4 << 20;
  setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  poll_ = new uv_poll_t;
  uv_poll_init(ctx_.loop, poll_, fd_);
  poll_->data = this;
  log::info(name(), "sending to " + address_.str());
  wake();
}

void UdpSender::wake() {
  if (closing_ || fd_ < 0 || uv_is_active(reinterpret_cast<uv_handle_t*>(retry_timer_))) return;
  for (;;) {
    if (next_ == pending_.size()) {
      pending_.clear();
      next_ = 0;
      uint64_t truncated = 0;
      read(kBatch, [&](const Record& r) {
        pending_.emplace_back();
        truncated += append_message(r, format_, pending_.back());
      });
      if (truncated) count("truncated", truncated);
      if (pending_.empty()) return;
    }
    send_pending();
    if (next_ < pending_.size()) return;  // waiting for room or for a retry
  }
}

void UdpSender::send_pending() {
  mmsghdr msgs[kBatch];
  iovec iov[kBatch];
  const size_t n = pending_.size() - next_;
  for (size_t i = 0; i < n; ++i) {
    iov[i] = {pending_[next_ + i].data(), pending_[next_ + i].size()};
    msgs[i] = {};
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int sent = sendmmsg(fd_, msgs, static_cast<unsigned>(n), MSG_DONTWAIT);
  if (sent > 0) {
    delivered(static_cast<uint64_t>(sent));
    next_ += static_cast<size_t>(sent);
    backoff_.reset();
    healthy();
    return;
  }
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    uv_poll_start(poll_, UV_WRITABLE, [](uv_poll_t* p, int, int) {
      auto* self = static_cast<UdpSender*>(p->data);
      uv_poll_stop(p);
      self->wake();
    });
    return;
  }
  if (errno == EMSGSIZE) {
    dropped(1, "too_large");
    ++next_;
    return;
  }
  // ECONNREFUSED and the like: nobody listens now. The datagram that drew the refusal is
  // already gone (UDP cannot know); this one is kept and tried again.
  count("send_failures");
  failing(address_.str() + ": " + std::strerror(errno));
  log::limited(log::Level::warn, name(), "send", address_.str() + ": " + std::strerror(errno));
  retry_later();
}

void UdpSender::retry_later() {
  if (closing_) return;
  uv_timer_start(
      retry_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<UdpSender*>(t->data);
        if (self->fd_ < 0) return self->resolve();
        self->wake();
      },
      static_cast<uint64_t>(backoff_.next_ms()), 0);
}

void UdpSender::close() {
  closing_ = true;
  uv_timer_stop(retry_timer_);
  dropped(pending_.size() - next_, "shutdown");
  pending_.clear();
  next_ = 0;
  abandon_unread("shutdown");
}

}  // namespace sluice::syslog
