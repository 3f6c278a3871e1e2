// Syslog over UDP: one message per datagram, sent in batches. UDP has no acknowledgement: a
// datagram the kernel accepted counts as delivered. A refused send (no listener) is retried.
#pragma once

#include <string>
#include <vector>

#include "agent/backoff.h"
#include "agent/component.h"
#include "agent/net/address.h"
#include "outputs/syslog/syslog_format.h"

namespace sluice::syslog {

class UdpSender final : public Output {
 public:
  UdpSender(std::string name, AgentContext& ctx, net::Address address, FormatOptions format,
            int64_t retry_max_ms);
  ~UdpSender() override;

  void start() override;
  void wake() override;
  void close() override;
  uint64_t in_flight() const override { return pending_.size() - next_; }

 private:
  void resolve();
  void send_pending();
  void retry_later();

  net::Address address_;
  FormatOptions format_;
  Backoff backoff_;
  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;
  uv_timer_t* retry_timer_;
  std::vector<std::string> pending_;  // formatted datagrams; [next_, end) not yet sent
  size_t next_ = 0;
  bool closing_ = false;
};

}  // namespace sluice::syslog
