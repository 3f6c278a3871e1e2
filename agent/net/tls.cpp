#include "agent/net/tls.h"

#include "agent/modules/module_loader.h"

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

std::unique_ptr<TlsContext> make_client_context(const config::Options& tls, std::string& error) {
  const auto* provider = static_cast<const TlsProvider*>(modules::find_entry("net", "tls", error));
  return provider ? provider->make_client_context(tls, error) : nullptr;
}

}  // namespace sluice::net
