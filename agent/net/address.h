// Peer addresses as written in the config: "tcp://host:port", "udp://[::1]:514", "tls://h:6514".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sluice::net {

enum class Transport { udp, tcp, tls };

struct Address {
  Transport transport = Transport::tcp;
  std::string host;
  uint16_t port = 0;
  std::string str() const;
};

// Nothing when the text is not an address; `error` then says why.
std::optional<Address> parse_address(std::string_view text, std::string& error);

// Splits "host:port" / "[v6]:port" (a listen address); false when it is not one.
bool split_host_port(const std::string& address, std::string& host, uint16_t& port);

}  // namespace sluice::net
