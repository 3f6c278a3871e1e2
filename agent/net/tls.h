// TLS for client connections: the option rows every output shares, and sessions that encrypt
// over memory buffers while the caller moves ciphertext to and from its socket. OpenSSL lives
// in a module of its own (agent/net/openssl), loaded by the first context made, so that an
// agent with no TLS peer maps neither libssl nor libcrypto.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "config/options.h"

namespace sluice::net {

// Rows of a `tls = { ... }` table.
std::span<const config::Option> tls_options();

// One connection's TLS client state.
class TlsSession {
 public:
  virtual ~TlsSession() = default;
  enum class Handshake { done, in_progress, failed };
  // Continues with what has arrived; on failure `error` says why (e.g. which check failed).
  virtual Handshake handshake(std::string& error) = 0;
  // Encrypts all of `plain`, appending the ciphertext to `wire`; false when the session broke.
  virtual bool encrypt(std::string_view plain, std::string& wire, std::string& error) = 0;
  // Ciphertext from the peer; returns how much was taken (the rest is offered again later).
  virtual size_t receive(std::string_view wire) = 0;
  // Reads and discards what the peer sent (syslog servers send nothing); false once the peer
  // closed the session.
  virtual bool discard_incoming() = 0;
  // Ciphertext for the peer produced meanwhile (handshake, alerts), appended to `wire`.
  virtual void take_output(std::string& wire) = 0;
};

class TlsContext {
 public:
  virtual ~TlsContext() = default;
  // A session that verifies `server_name` (a DNS name, sent as SNI, or an IP address).
  virtual std::unique_ptr<TlsSession> session(const std::string& server_name) = 0;
};

// A client context from a validated `tls` table; nothing (and `error`) when files are unusable
// or the TLS module cannot be loaded.
std::unique_ptr<TlsContext> make_client_context(const config::Options& tls, std::string& error);

// What the TLS module exports.
struct TlsProvider {
  std::unique_ptr<TlsContext> (*make_client_context)(const config::Options& tls,
                                                     std::string& error);
};

}  // namespace sluice::net
