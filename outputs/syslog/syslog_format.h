// Records as syslog messages: always valid RFC 5424 (or RFC 3164), appended to a write buffer.
#pragma once

#include <string>

#include "agent/record.h"

namespace sluice::syslog {

enum class Format { rfc5424, rfc3164 };
enum class Framing { octet_counting, lf, none };  // none: one message per datagram

struct FormatOptions {
  Format format = Format::rfc5424;
  Framing framing = Framing::octet_counting;
  std::string hostname;          // for records that name none
  size_t max_message_bytes = 0;  // MSG is cut beyond this (0: no limit)
};

// Appends one framed message; returns true when the message had to be cut.
bool append_message(const Record& r, const FormatOptions& o, std::string& out);

// The same in two steps, for a caller that keeps its own room: the most bytes the message can
// take, then the message written at out (which has that room), returning its size.
size_t message_bound(const Record& r, const FormatOptions& o);
size_t format_message(const Record& r, const FormatOptions& o, char* out, bool& cut);

}  // namespace sluice::syslog
