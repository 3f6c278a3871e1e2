#include "tests/support/rsyslog_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "tests/support/certificates.h"
#include "tests/support/child_process.h"
#include "tests/support/port_holder.h"
#include "tests/support/wait.h"

namespace sluice::test {

RsyslogServer::RsyslogServer() {
  char tmpl[] = "/tmp/sluice-rsyslog-XXXXXX";
  dir_ = mkdtemp(tmpl);
  make_test_certificates(dir_);
  pick_ports_and_write_config();
}

void RsyslogServer::pick_ports_and_write_config() {
  tcp_port_ = free_port(SOCK_STREAM);
  tls_port_ = free_port(SOCK_STREAM);
  udp_port_ = free_port(SOCK_DGRAM);
  // No imuxsock or imklog: this instance never touches the host's /dev/log or kernel log.
  std::ofstream(dir_ + "/rsyslog.conf")
      << "global(workDirectory=\"" << dir_ << "\" maxMessageSize=\"256k\"\n"
      << "  DefaultNetstreamDriverCAFile=\"" << dir_ << "/ca.pem\"\n"
      << "  DefaultNetstreamDriverCertFile=\"" << dir_ << "/server.pem\"\n"
      << "  DefaultNetstreamDriverKeyFile=\"" << dir_
      << "/server.key\")\n"
      // On SIGTERM rsyslog discards what its main queue still holds after 1.5 s (and what
      // its actions have not finished after 1 s), though it read and acknowledged it: this
      // peer finishes its work first, so that a restart loses only what the agent loses.
      << "main_queue(queue.timeoutShutdown=\"60000\" queue.timeoutActionCompletion=\"60000\")\n"
      << "module(load=\"imtcp\" MaxSessions=\"100\")\nmodule(load=\"imudp\")\n"
      << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << tcp_port_ << "\")\n"
      << "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" << tls_port_
      << "\" streamDriver.name=\"ossl\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")\n"
      << "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" << udp_port_
      << "\" rcvbufSize=\"32m\")\n"
      << "template(name=\"line\" type=\"list\" option.jsonf=\"on\") {\n"
      << "  property(outname=\"host\" name=\"hostname\" format=\"jsonf\")\n"
      << "  property(outname=\"app\" name=\"app-name\" format=\"jsonf\")\n"
      << "  property(outname=\"procid\" name=\"procid\" format=\"jsonf\")\n"
      << "  property(outname=\"msgid\" name=\"msgid\" format=\"jsonf\")\n"
      << "  property(outname=\"sd\" name=\"structured-data\" format=\"jsonf\")\n"
      << "  property(outname=\"pri\" name=\"pri\" format=\"jsonf\")\n"
      << "  property(outname=\"time\" name=\"timereported\" dateFormat=\"rfc3339\" "
         "format=\"jsonf\")\n"
      << "  property(outname=\"msg\" name=\"msg\" format=\"jsonf\")\n}\n"
      << "action(type=\"omfile\" file=\"" << dir_
      << "/received.log\" template=\"line\" flushOnTXEnd=\"on\" asyncWriting=\"off\")\n";
}

RsyslogServer::~RsyslogServer() {
  stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool RsyslogServer::start() {
  // The ports were free when picked, but a test running alongside may have taken one since:
  // then rsyslog cannot bind it and the agent would talk to that stranger. On the first start
  // new ports fix that; a restart must keep the ports the agent knows.
  for (int attempt = 1;; ++attempt) {
    switch (start_once()) {
      case Started::listening:
        started_before_ = true;
        return true;
      case Started::failed:
        return false;
      case Started::port_taken:
        stop();
        std::ofstream(dir_ + "/rsyslogd.log", std::ios::app)
            << "test: a port of this rsyslog was taken by another process\n";
        if (started_before_ || attempt == 3) return false;
        pick_ports_and_write_config();
    }
  }
}

RsyslogServer::Started RsyslogServer::start_once() {
  pid_ = spawn(
      {"/usr/sbin/rsyslogd", "-n", "-f", dir_ + "/rsyslog.conf", "-i", dir_ + "/rsyslogd.pid"},
      dir_ + "/rsyslogd.log");
  const std::pair<int, uint16_t> ports[] = {
      {SOCK_STREAM, tcp_port_}, {SOCK_STREAM, tls_port_}, {SOCK_DGRAM, udp_port_}};
  Started result = Started::failed;
  wait_until(
      [&] {
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
          pid_ = -1;
          return true;  // failed
        }
        size_t ours = 0;
        for (const auto& [type, port] : ports) {
          const PortHolder holder = port_holder(pid_, type, port);
          if (holder == PortHolder::other) {
            result = Started::port_taken;
            return true;
          }
          ours += holder == PortHolder::self;
        }
        if (ours < std::size(ports)) return false;
        result = Started::listening;
        return true;
      },
      std::chrono::seconds(10));
  return result;
}

void RsyslogServer::stop() {
  terminate(pid_);
  pid_ = -1;
}

std::vector<std::string> RsyslogServer::lines() const {
  std::vector<std::string> out;
  std::ifstream in(dir_ + "/received.log");
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

size_t RsyslogServer::count() const {
  std::ifstream in(dir_ + "/received.log", std::ios::binary);
  return static_cast<size_t>(std::count(std::istreambuf_iterator<char>(in), {}, '\n'));
}

bool RsyslogServer::wait_for_count(size_t n, std::chrono::milliseconds timeout) const {
  return wait_until([&] { return count() >= n; }, timeout, std::chrono::milliseconds(20));
}

std::string RsyslogServer::log() const {
  std::ifstream in(dir_ + "/rsyslogd.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace sluice::test
