// The TLS module: sessions on OpenSSL, over a BIO pair whose network side the caller drains
// to its socket and fills from it.
#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>

#include "agent/modules/module_loader.h"
#include "agent/net/tls.h"

namespace sluice::net {
namespace {

constexpr size_t kBioPairBytes = 64 * 1024;

// The last OpenSSL errors as one line.
std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "unknown TLS error" : out;
}

bool is_ip_literal(const std::string& host) {
  in6_addr buf;
  return inet_pton(AF_INET, host.c_str(), &buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &buf) == 1;
}

class OpenSslSession final : public TlsSession {
 public:
  OpenSslSession(SSL_CTX* ctx, const std::string& server_name) : ssl_(SSL_new(ctx)) {
    BIO* internal = nullptr;
    BIO_new_bio_pair(&internal, kBioPairBytes, &network_, kBioPairBytes);
    SSL_set_bio(ssl_, internal, internal);
    SSL_set_connect_state(ssl_);
    if (is_ip_literal(server_name)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), server_name.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_, server_name.c_str());
      SSL_set1_host(ssl_, server_name.c_str());
    }
  }

  ~OpenSslSession() override {
    SSL_free(ssl_);  // frees the internal BIO too
    BIO_free(network_);
  }

  Handshake handshake(std::string& error) override {
    const int rc = SSL_do_handshake(ssl_);
    if (rc == 1) return Handshake::done;
    const int err = SSL_get_error(ssl_, rc);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) return Handshake::in_progress;
    const long verify = SSL_get_verify_result(ssl_);
    error = verify != X509_V_OK ? std::string("certificate verification failed (") +
                                      X509_verify_cert_error_string(verify) + ")"
                                : openssl_errors();
    return Handshake::failed;
  }

  bool encrypt(std::string_view plain, std::string& wire, std::string& error) override {
    while (!plain.empty()) {
      const int n =
          SSL_write(ssl_, plain.data(), static_cast<int>(std::min<size_t>(plain.size(), 1 << 30)));
      take_output(wire);  // makes room in the pair when it was full
      if (n > 0) {
        plain.remove_prefix(static_cast<size_t>(n));
      } else if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_WRITE) {
        error = openssl_errors();
        return false;
      }
    }
    return true;
  }

  size_t receive(std::string_view wire) override {
    const int n = BIO_write(network_, wire.data(), static_cast<int>(wire.size()));
    return n > 0 ? static_cast<size_t>(n) : 0;
  }

  bool discard_incoming() override {
    char sink[4096];
    int r;
    while ((r = SSL_read(ssl_, sink, sizeof sink)) > 0) {
    }
    return SSL_get_error(ssl_, r) != SSL_ERROR_ZERO_RETURN;
  }

  void take_output(std::string& wire) override {
    char buf[16384];
    int n;
    while ((n = BIO_read(network_, buf, sizeof buf)) > 0) wire.append(buf, static_cast<size_t>(n));
  }

 private:
  SSL* ssl_;
  BIO* network_ = nullptr;  // TLS records to and from the socket
};

class OpenSslContext final : public TlsContext {
 public:
  explicit OpenSslContext(SSL_CTX* ctx) : ctx_(ctx) {}
  ~OpenSslContext() override { SSL_CTX_free(ctx_); }
  std::unique_ptr<TlsSession> session(const std::string& server_name) override {
    return std::make_unique<OpenSslSession>(ctx_, server_name);
  }

 private:
  SSL_CTX* ctx_;
};

std::unique_ptr<TlsContext> make_openssl_context(const config::Options& tls, std::string& error) {
  SSL_CTX* raw = SSL_CTX_new(TLS_client_method());
  if (!raw) {
    error = openssl_errors();
    return nullptr;
  }
  auto ctx = std::make_unique<OpenSslContext>(raw);
  SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
  const std::string& ca = tls.string("ca_file");
  const int loaded = ca.empty() ? SSL_CTX_set_default_verify_paths(raw)
                                : SSL_CTX_load_verify_locations(raw, ca.c_str(), nullptr);
  if (loaded != 1) {
    error =
        "cannot load CA " + (ca.empty() ? std::string("defaults") : ca) + ": " + openssl_errors();
    return nullptr;
  }
  const std::string& cert = tls.string("cert_file");
  const std::string& key = tls.string("key_file");
  if (!cert.empty() && (SSL_CTX_use_certificate_chain_file(raw, cert.c_str()) != 1 ||
                        SSL_CTX_use_PrivateKey_file(raw, (key.empty() ? cert : key).c_str(),
                                                    SSL_FILETYPE_PEM) != 1)) {
    error = "cannot load client certificate " + cert + ": " + openssl_errors();
    return nullptr;
  }
  SSL_CTX_set_verify(raw, tls.boolean("verify") ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  return ctx;
}

const TlsProvider kOpenSsl{make_openssl_context};

}  // namespace
}  // namespace sluice::net

SLUICE_MODULE_ENTRY(net, tls, sluice::net::kOpenSsl)
