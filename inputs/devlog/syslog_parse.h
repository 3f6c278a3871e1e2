// Parsing of one syslog datagram as it arrives on /dev/log: RFC 5424, RFC 3164 and the variants
// real senders produce (glibc syslog(3) without hostname, util-linux logger, Python's
// SysLogHandler without timestamp and with a trailing NUL, systemd, Docker's syslog driver).
#pragma once

#include <cstdint>
#include <string>
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

// parse(), remembering the last RFC 3164 header it read: a sender's datagrams of one second
// repeat "<PRI>Mmm dd hh:mm:ss TAG[PID]: " byte for byte, and comparing those bytes costs a
// fraction of reading them again. Gives what parse() gives, for any datagram. One per reader.
class Parser {
 public:
  ParsedMessage parse(std::string_view datagram, int64_t now_ns);
  // to_record(parse(datagram, receive_ns), receive_ns) in one step: the fields go straight into
  // the record. Through a ParsedMessage in memory, the record's wide reads of it waited for
  // its narrow stores to land, which took a quarter of the agent's user time (perf).
  Record record(std::string_view datagram, int64_t receive_ns, Grammar& grammar);

 private:
  bool remembers(std::string_view stripped, int64_t now_ns) const;
  ParsedMessage remembered(std::string_view stripped) const;
  ParsedMessage read_and_remember(std::string_view datagram, int64_t now_ns);

  struct Span {
    size_t begin = 0, size = 0;
  };
  std::string header_;    // up to where the message starts; empty when nothing is remembered
  ParsedMessage parsed_;  // its parse, whose views are rebuilt from these spans: their
  Span hostname_, app_name_, procid_;  // datagram is gone
  // What the parse depended on besides the bytes: the second (the year chosen for a
  // timestamp) and the time zone (tzset() may replace it).
  int64_t now_s_ = 0;
  const char* zone_std_ = nullptr;
  const char* zone_dst_ = nullptr;
  long zone_ = 0;
};

// The record of a parsed message received at receive_ns (also its event time when the message
// has none); views into the same datagram. Metadata and credentials are the caller's.
Record to_record(const ParsedMessage& p, int64_t receive_ns);

}  // namespace sluice::syslog
