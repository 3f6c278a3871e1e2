// libcurl's multi interface driven by the agent's libuv loop: every HTTP client in the agent
// (the Docker Engine API, Elasticsearch) runs its transfers here, never blocking the loop.
#pragma once

#include <curl/curl.h>
#include <uv.h>

#include <functional>
#include <map>
#include <vector>

namespace sluice::http {

class CurlMulti {
 public:
  using Done = std::function<void(CURLcode result)>;

  explicit CurlMulti(uv_loop_t* loop);
  ~CurlMulti();  // aborts transfers still running, without calling their callbacks
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  // Runs a configured easy handle; `done` is called once on the loop when it ends. The caller
  // keeps ownership of the handle and may reuse it after `done`. May be called from inside a
  // transfer's own callbacks.
  void add(CURL* easy, Done done);
  // Stops a running transfer without calling its callback, and frees the handle.
  void cancel_and_free(CURL* easy);
  size_t running() const { return transfers_.size(); }

 private:
  struct Socket;
  static int on_socket(CURL* easy, curl_socket_t s, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  void action(curl_socket_t s, int events);
  void collect_finished();
  void apply_deferred();

  uv_loop_t* loop_;
  CURLM* multi_;
  uv_timer_t* timer_;
  std::map<CURL*, Done> transfers_;
  // curl refuses add/remove calls made from inside its callbacks: those wait for it to return.
  bool in_curl_ = false;
  std::vector<CURL*> to_add_;
  std::vector<CURL*> to_free_;
};

}  // namespace sluice::http
