// Test certificates, made with the openssl command in a test's own dir.
#pragma once

#include <string>

namespace sluice::test {

struct TestCertificates {
  std::string ca;          // a CA (PEM)
  std::string server;      // a certificate it signed for localhost and 127.0.0.1
  std::string server_key;  // its key
  std::string wrong_ca;    // an unrelated CA
};

// Writes them into `dir`; throws when openssl fails.
TestCertificates make_test_certificates(const std::string& dir);

}  // namespace sluice::test
