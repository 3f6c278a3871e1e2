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
#include <sstream>
#include <thread>

#include "tests/support/certificates.h"
#include "tests/support/child_process.h"
#include "tests/support/wait.h"

namespace sluice::test {

RsyslogServer::RsyslogServer()
    : tcp_port_(free_port(SOCK_STREAM)),
      tls_port_(free_port(SOCK_STREAM)),
      udp_port_(free_port(SOCK_DGRAM)) {
  char tmpl[] = "/tmp/sluice-rsyslog-XXXXXX";
  dir_ = mkdtemp(tmpl);
  make_test_certificates(dir_);
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
  pid_ = spawn(
      {"/usr/sbin/rsyslogd", "-n", "-f", dir_ + "/rsyslog.conf", "-i", dir_ + "/rsyslogd.pid"},
      dir_ + "/rsyslogd.log");
  bool died = false;
  const bool listening = wait_until(
      [&] {
        died = waitpid(pid_, nullptr, WNOHANG) == pid_;
        return died || (port_accepts(tcp_port_) && port_accepts(tls_port_));
      },
      std::chrono::seconds(10));
  return listening && !died;
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
