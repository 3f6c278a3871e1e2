#include "inputs/docker/engine_client.h"

namespace sluice::docker {
namespace {

struct Pending {
  std::string body;
  EngineClient::Reply reply;
};

size_t append_body(char* p, size_t size, size_t n, void* pending) {
  static_cast<Pending*>(pending)->body.append(p, size * n);
  return size * n;
}

size_t deliver_chunk(char* p, size_t size, size_t n, void* stream) {
  auto* s = static_cast<EngineClient::Stream*>(stream);
  if (s->on_data) s->on_data(std::string_view(p, size * n));
  return size * n;
}

}  // namespace

EngineClient::EngineClient(http::CurlMulti& multi, std::string socket_path)
    : multi_(multi), socket_path_(std::move(socket_path)) {}

EngineClient::~EngineClient() = default;

CURL* EngineClient::make(const std::string& path) {
  CURL* e = curl_easy_init();
  curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, socket_path_.c_str());
  // The host part is ignored on a unix socket; Docker routes on the path alone.
  const std::string url = "http://docker" + path;
  curl_easy_setopt(e, CURLOPT_URL, url.c_str());
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  return e;
}

void EngineClient::get(const std::string& path, Reply reply) {
  CURL* e = make(path);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, 30000L);
  auto* pending = new Pending{{}, std::move(reply)};
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, pending);
  multi_.add(e, [e, pending](CURLcode rc) {
    long status = 0;
    if (rc == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    std::unique_ptr<Pending> owned(pending);
    curl_easy_cleanup(e);
    owned->reply(status, std::move(owned->body), rc == CURLE_OK ? "" : curl_easy_strerror(rc));
  });
}

std::unique_ptr<EngineClient::Stream> EngineClient::stream(
    const std::string& path, std::function<void(std::string_view)> on_data,
    std::function<void(long status, std::string error)> on_end) {
  CURL* e = make(path);
  auto s = std::make_unique<Stream>(multi_, e);
  s->on_data = std::move(on_data);
  s->on_end = std::move(on_end);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, deliver_chunk);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, s.get());
  Stream* raw = s.get();
  multi_.add(e, [raw](CURLcode rc) {
    long status = 0;
    if (rc == CURLE_OK) curl_easy_getinfo(raw->easy_, CURLINFO_RESPONSE_CODE, &status);
    raw->ended = true;
    // The callback may destroy the stream (and with it on_end): call a copy.
    auto on_end = raw->on_end;
    if (on_end) on_end(status, rc == CURLE_OK ? "" : curl_easy_strerror(rc));
  });
  return s;
}

EngineClient::Stream::~Stream() {
  if (ended) {
    curl_easy_cleanup(easy_);
  } else {
    multi_.cancel_and_free(easy_);
  }
}

}  // namespace sluice::docker
