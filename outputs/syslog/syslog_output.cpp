#include "outputs/syslog/syslog_output.h"

#include "agent/log.h"
#include "agent/net/tls.h"
#include "outputs/syslog/stream_sender.h"
#include "outputs/syslog/syslog_format.h"
#include "outputs/syslog/udp_sender.h"

namespace sluice::syslog {
namespace {

constexpr std::string_view kFormats[] = {"rfc5424", "rfc3164"};
constexpr std::string_view kFramings[] = {"octet-counting", "lf"};

const config::Option kOptions[] = {
    {"address", config::Type::string, "",
     "Peer: udp://HOST:PORT, tcp://HOST:PORT or tls://HOST:PORT", true},
    {"format", config::Type::choice, "rfc5424", "Message format", false, kFormats},
    {"framing", config::Type::choice, "octet-counting",
     "How messages are delimited on TCP and TLS (RFC 6587)", false, kFramings},
    {"max_message_bytes", config::Type::size, "64KiB",
     "Longer messages are cut (UDP: at most 65000) and counted as truncated"},
    {"max_in_flight", config::Type::size, "2MiB",
     "Bytes sent but not yet acknowledged by the peer before reading pauses"},
    {"reconnect_max", config::Type::duration, "30s", "Longest wait between reconnection attempts"},
    {"tls",
     config::Type::table,
     "",
     "TLS settings for tls:// addresses",
     false,
     {},
     net::tls_options()},
};

void validate(const config::Options& o, config::Diagnostics& diag) {
  std::string error;
  auto address = net::parse_address(o.string("address"), error);
  if (!address) {
    if (!o.string("address").empty())
      diag.error(o.position("address"), o.path() + ".address: " + error);
    return;
  }
  if (address->transport == net::Transport::udp && o.has("framing")) {
    diag.error(o.position("framing"), o.path() + ".framing applies to tcp:// and tls:// only");
  }
  if (address->transport != net::Transport::tls && o.has("tls")) {
    diag.error(o.position("tls"), o.path() + ".tls needs a tls:// address");
  }
}

std::unique_ptr<Output> build(const config::Component& c, AgentContext& ctx) {
  std::string error;
  const net::Address address = *net::parse_address(c.options.string("address"), error);
  FormatOptions format;
  format.format = c.options.string("format") == "rfc3164" ? Format::rfc3164 : Format::rfc5424;
  format.hostname = ctx.hostname;
  format.max_message_bytes = c.options.size("max_message_bytes");
  if (address.transport == net::Transport::udp) {
    format.framing = Framing::none;
    format.max_message_bytes = std::min<size_t>(format.max_message_bytes, 65000);
    return std::make_unique<UdpSender>(c.name, ctx, address, format,
                                       c.options.duration_ms("reconnect_max"));
  }
  format.framing = c.options.string("framing") == "lf" ? Framing::lf : Framing::octet_counting;
  std::unique_ptr<net::TlsContext> tls;
  if (address.transport == net::Transport::tls) {
    tls = net::make_client_context(c.options.table("tls"), error);
    if (!tls) throw std::runtime_error("[outputs." + c.name + "] " + error);
  }
  StreamSender::Settings s{address,
                           format,
                           std::move(tls),
                           c.options.table("tls").string("server_name"),
                           c.options.size("max_in_flight"),
                           c.options.duration_ms("reconnect_max")};
  return std::make_unique<StreamSender>(c.name, ctx, std::move(s));
}

}  // namespace

const OutputKind kind{
    {"syslog", "Syslog (RFC 5424 or RFC 3164) over UDP, TCP or TLS", kOptions, validate},
    build,
};

}  // namespace sluice::syslog
