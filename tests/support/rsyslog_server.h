// A real Debian rsyslogd as a test peer: its own config, work dir, ports and certificates,
// listening on TCP, TLS and UDP, writing each received message as one JSON line.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace sluice::test {

class RsyslogServer {
 public:
  RsyslogServer();  // picks ports and writes config and certificates; does not start
  ~RsyslogServer();
  RsyslogServer(const RsyslogServer&) = delete;
  RsyslogServer& operator=(const RsyslogServer&) = delete;

  // Returns once this rsyslogd itself listens on all three ports. The first start picks new
  // ports if another process took one; a restart fails then (see log()).
  bool start();
  void stop();  // SIGTERM and wait
  uint16_t tcp_port() const { return tcp_port_; }
  uint16_t tls_port() const { return tls_port_; }
  uint16_t udp_port() const { return udp_port_; }
  std::string ca_file() const { return dir_ + "/ca.pem"; }
  std::string wrong_ca_file() const { return dir_ + "/wrong-ca.pem"; }

  // Messages received so far (across restarts): one JSON object per line with host, app,
  // procid, msgid, sd, pri, time, msg. rsyslog escapes control characters (LF is "#012").
  std::vector<std::string> lines() const;
  size_t count() const;
  bool wait_for_count(size_t n, std::chrono::milliseconds timeout) const;
  std::string log() const;  // rsyslogd's own output

 private:
  enum class Started { listening, port_taken, failed };
  void pick_ports_and_write_config();
  Started start_once();

  std::string dir_;
  uint16_t tcp_port_ = 0, tls_port_ = 0, udp_port_ = 0;
  pid_t pid_ = -1;
  bool started_before_ = false;
};

}  // namespace sluice::test
