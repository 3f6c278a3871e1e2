#include "agent/net/address.h"

#include <charconv>

namespace sluice::net {

std::string Address::str() const {
  const char* scheme = transport == Transport::udp   ? "udp"
                       : transport == Transport::tls ? "tls"
                                                     : "tcp";
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(scheme) + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

namespace {

// Text in single quotes. Built with append: GCC 12 at -O3 misreports the equivalent
// operator+ chain as an overlapping memcpy (GCC bug 105329).
std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.append(1, '\'').append(text).append(1, '\'');
  return out;
}

}  // namespace

std::optional<Address> parse_address(std::string_view text, std::string& error) {
  Address a;
  const size_t sep = text.find("://");
  if (sep == std::string_view::npos) {
    error = quoted(text) + " has no scheme: use udp://, tcp:// or tls://";
    return std::nullopt;
  }
  const std::string_view scheme = text.substr(0, sep);
  if (scheme == "udp") {
    a.transport = Transport::udp;
  } else if (scheme == "tcp") {
    a.transport = Transport::tcp;
  } else if (scheme == "tls") {
    a.transport = Transport::tls;
  } else {
    error = "unknown scheme " + quoted(scheme) + ": use udp://, tcp:// or tls://";
    return std::nullopt;
  }
  std::string_view rest = text.substr(sep + 3);
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    const size_t close = rest.find(']');
    if (close == std::string_view::npos) {
      error = "unterminated '[' in " + quoted(text);
      return std::nullopt;
    }
    a.host = rest.substr(1, close - 1);
    rest = rest.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') {
      error = "expected ':port' after ']' in " + quoted(text);
      return std::nullopt;
    }
    port = rest.empty() ? "" : rest.substr(1);
  } else {
    const size_t colon = rest.rfind(':');
    a.host = rest.substr(0, colon);
    port = colon == std::string_view::npos ? "" : rest.substr(colon + 1);
    if (a.host.find(':') != std::string::npos) {
      error = "an IPv6 address needs brackets: '" + std::string(scheme) + "://[" +
              std::string(rest.substr(0, colon)) + "]:PORT'";
      return std::nullopt;
    }
  }
  if (a.host.empty() || a.host.find_first_of(" /?#@") != std::string::npos) {
    error = quoted(text) + " has no valid host";
    return std::nullopt;
  }
  if (port.empty()) {
    a.port = a.transport == Transport::tls ? 6514 : 514;
  } else {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      error = quoted(port) + " is not a port (1-65535)";
      return std::nullopt;
    }
    a.port = static_cast<uint16_t>(value);
  }
  return a;
}

bool split_host_port(const std::string& address, std::string& host, uint16_t& port) {
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = address.substr(0, colon);
  if (host.front() == '[') {
    if (host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return false;
  }
  unsigned value = 0;
  const char* b = address.data() + colon + 1;
  const char* e = address.data() + address.size();
  auto [end, ec] = std::from_chars(b, e, value);
  if (ec != std::errc() || end != e || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return !host.empty();
}

}  // namespace sluice::net
