#include "tests/support/certificates.h"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace sluice::test {
namespace {

void run(const std::string& cmd) {
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0)
    throw std::runtime_error("failed: " + cmd);
}

}  // namespace

TestCertificates make_test_certificates(const std::string& d) {
  const std::string req = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 ";
  run(req + "-keyout " + d + "/ca.key -out " + d + "/ca.pem -subj /CN=sluice-test-ca");
  run(req + "-keyout " + d + "/wrong-ca.key -out " + d + "/wrong-ca.pem -subj /CN=other-ca");
  run("openssl req -newkey rsa:2048 -nodes -keyout " + d + "/server.key -out " + d +
      "/server.csr -subj /CN=localhost");
  std::ofstream(d + "/ext.cnf") << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
  run("openssl x509 -req -days 2 -in " + d + "/server.csr -CA " + d + "/ca.pem -CAkey " + d +
      "/ca.key -CAcreateserial -out " + d + "/server.pem -extfile " + d + "/ext.cnf");
  return {d + "/ca.pem", d + "/server.pem", d + "/server.key", d + "/wrong-ca.pem"};
}

}  // namespace sluice::test
