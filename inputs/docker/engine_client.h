// The Docker Engine API over its unix socket (Docker or podman's compatible service), through
// the agent's shared curl multi: JSON requests, and streams (logs, events) delivered in chunks.
#pragma once

#include <curl/curl.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/http/curl_multi.h"

namespace sluice::docker {

class EngineClient {
 public:
  EngineClient(http::CurlMulti& multi, std::string socket_path);
  ~EngineClient();

  // A whole response: status (0 when the request failed) and body, or the curl error.
  using Reply = std::function<void(long status, std::string body, std::string error)>;
  void get(const std::string& path, Reply reply);

  // A response delivered as it arrives; `on_end` once, with the reason when it failed.
  // Returns a handle that ends the stream when destroyed.
  class Stream;
  std::unique_ptr<Stream> stream(const std::string& path,
                                 std::function<void(std::string_view)> on_data,
                                 std::function<void(long status, std::string error)> on_end);

 private:
  CURL* make(const std::string& path);
  http::CurlMulti& multi_;
  std::string socket_path_;
};

class EngineClient::Stream {
 public:
  Stream(http::CurlMulti& multi, CURL* easy) : multi_(multi), easy_(easy) {}
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  std::function<void(std::string_view)> on_data;
  std::function<void(long, std::string)> on_end;
  bool ended = false;

 private:
  friend class EngineClient;
  http::CurlMulti& multi_;
  CURL* easy_;
};

}  // namespace sluice::docker
