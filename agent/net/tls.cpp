#include "agent/net/tls.h"

#include <openssl/err.h>

namespace sluice::net {
namespace {

constexpr config::Option kTls[] = {
    {"ca_file", config::Type::string, "",
     "CA certificates (PEM) to verify the peer with; default: the system's"},
    {"verify", config::Type::boolean, "true",
     "Verify the peer's certificate and name; off only for testing"},
    {"cert_file", config::Type::string, "", "Client certificate (PEM) for mutual TLS"},
    {"key_file", config::Type::string, "", "Key of the client certificate (PEM)"},
    {"server_name", config::Type::string, "", "Name to verify and send as SNI; default: the host"},
};

}  // namespace

std::span<const config::Option> tls_options() { return kTls; }

std::string openssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += (out.empty() ? "" : "; ") + std::string(buf);
  }
  return out.empty() ? "unknown TLS error" : out;
}

SslCtx make_client_context(const config::Options& tls, std::string& error) {
  SslCtx ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) {
    error = openssl_errors();
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  const std::string& ca = tls.string("ca_file");
  const int loaded = ca.empty() ? SSL_CTX_set_default_verify_paths(ctx.get())
                                : SSL_CTX_load_verify_locations(ctx.get(), ca.c_str(), nullptr);
  if (loaded != 1) {
    error =
        "cannot load CA " + (ca.empty() ? std::string("defaults") : ca) + ": " + openssl_errors();
    return nullptr;
  }
  const std::string& cert = tls.string("cert_file");
  const std::string& key = tls.string("key_file");
  if (!cert.empty() && (SSL_CTX_use_certificate_chain_file(ctx.get(), cert.c_str()) != 1 ||
                        SSL_CTX_use_PrivateKey_file(ctx.get(), (key.empty() ? cert : key).c_str(),
                                                    SSL_FILETYPE_PEM) != 1)) {
    error = "cannot load client certificate " + cert + ": " + openssl_errors();
    return nullptr;
  }
  SSL_CTX_set_verify(ctx.get(), tls.boolean("verify") ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  return ctx;
}

}  // namespace sluice::net
