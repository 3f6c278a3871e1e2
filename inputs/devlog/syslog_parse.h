// Parsing of one syslog datagram as it arrives on /dev/log: RFC 5424, RFC 3164 and the variants
// real senders produce (glibc syslog(3) without hostname, util-linux logger, Python's
// SysLogHandler without timestamp and with a trailing NUL, systemd, Docker's syslog driver).
#pragma once

#include <cstdint>
#include <string_view>

#include "agent/record.h"

namespace sluice::syslog {

enum class Grammar : uint8_t { rfc5424, rfc3164, unparsed };

// Every view points into the datagram passed to parse(); nothing is copied.
struct ParsedMessage {
  Grammar grammar = Grammar::unparsed;
  uint8_t facility = 1;  // user
  uint8_t severity = 5;  // notice
  bool has_timestamp = false;
  int64_t timestamp_ns = 0;  // UTC nanoseconds since the epoch, when has_timestamp
  std::string_view hostname;
  std::string_view app_name;
  std::string_view procid;
  std::string_view msgid;
  std::string_view structured_data;  // RFC 5424 SD as sent ("[id k=\"v\"]..."), empty for "-"
  std::string_view message;
};

// Never fails and never loses a byte of the message: what does not parse as a header is kept
// whole as the message with user.notice. A trailing LF or NUL (and a leading UTF-8 BOM of an
// RFC 5424 MSG) are not part of the message. RFC 3164 timestamps carry no year or zone: they
// are read in the local time zone, in the year that puts them closest to now_ns.
ParsedMessage parse(std::string_view datagram, int64_t now_ns);

// The record of a parsed message received at receive_ns (also its event time when the message
// has none); views into the same datagram. Metadata and credentials are the caller's.
Record to_record(const ParsedMessage& p, int64_t receive_ns);

}  // namespace sluice::syslog
