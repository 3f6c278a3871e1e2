// The one record model every input produces and every output consumes.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sluice {

// Metadata of one source (an input, a container), resolved once and shared by all its records;
// not changed once records refer to it.
struct SourceMeta {
  // Names this metadata for the life of the process, so that outputs may cache what they
  // derive from it (0: unnamed, nothing cached). Who fills one for records gives it fresh_id().
  uint64_t id = 0;
  static uint64_t fresh_id() {
    static std::atomic<uint64_t> next{1};
    return next++;
  }
  std::string input;  // name of the input that produced the records
  std::string container_id;
  std::string container_name;
  std::string image;
  std::string marathon_app_id;
  std::string mesos_task_id;
  std::vector<std::pair<std::string, std::string>> labels;  // allow-listed labels
  std::vector<std::pair<std::string, std::string>> env;     // allow-listed env keys
};

enum class Stream : uint8_t { none = 0, stdout_stream = 1, stderr_stream = 2 };

// A record as a set of views. An input fills one with views into its own bytes and pushes it;
// the buffer copies it once; an output receives views into the buffer that are valid only
// during the call that hands them over.
struct Record {
  int64_t event_ns = 0;    // when it happened (from the message), else the receive time
  int64_t receive_ns = 0;  // when the agent received it
  uint8_t facility = 1;    // user
  uint8_t severity = 5;    // notice
  Stream stream = Stream::none;
  uint32_t pid = 0;  // sender credentials where the input knows them (0: unknown)
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string_view hostname;  // as the sender named it; empty: the agent's host
  std::string_view app_name;
  std::string_view procid;
  std::string_view msgid;
  std::string_view structured_data;  // RFC 5424 SD, verbatim
  std::string_view message;
  const SourceMeta* meta = nullptr;
};

}  // namespace sluice
