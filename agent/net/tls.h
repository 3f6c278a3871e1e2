// TLS client settings shared by every output: the option rows and the OpenSSL context.
#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <span>
#include <string>

#include "config/options.h"

namespace sluice::net {

// Rows of a `tls = { ... }` table.
std::span<const config::Option> tls_options();

struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using SslCtx = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

// A client context from a validated `tls` table; nothing (and `error`) when files are unusable.
SslCtx make_client_context(const config::Options& tls, std::string& error);

// The last OpenSSL errors as one line.
std::string openssl_errors();

}  // namespace sluice::net
