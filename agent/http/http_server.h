// A small HTTP/1.1 server on the agent's libuv loop, parsed with libhttp-parser. Handlers answer
// with a whole response, or keep a Stream open and push chunks (for live tails).
#pragma once

#include <uv.h>

#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sluice::http {

struct Request {
  std::string method;
  std::string path;                            // without the query
  std::string query;                           // after '?', undecoded
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  // The value of a query parameter, percent-decoded; empty when absent.
  std::string param(std::string_view name) const;
  // The first query parameter not in `known`, percent-decoded; empty when there is none.
  std::string unknown_param(std::initializer_list<std::string_view> known) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  bool reset = false;  // close the connection without answering (test doubles use it)
};

// An open chunked response. Writes are queued in the connection; `queued_bytes` lets a producer
// see a slow client and drop instead of growing without bound.
class Stream {
 public:
  virtual ~Stream() = default;
  virtual void write(std::string_view chunk) = 0;
  virtual size_t queued_bytes() const = 0;
  virtual bool open() const = 0;
};

class Server {
 public:
  // Return a Response, or null after taking the stream with `start_stream` (content type).
  using StreamStarter = std::function<std::shared_ptr<Stream>(std::string content_type)>;
  using Handler =
      std::function<std::unique_ptr<Response>(const Request&, const StreamStarter& start_stream)>;

  // Requests with bodies larger than max_body are answered 413 without calling the handler.
  Server(uv_loop_t* loop, Handler handler, size_t max_body = 64 * 1024);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // "127.0.0.1:8686", "[::1]:8686", "0.0.0.0:8686"; false and `error` when it cannot listen.
  bool listen(const std::string& address, std::string& error);
  uint16_t port() const { return port_; }
  void close();

 private:
  struct Connection;
  void on_connection();

  uv_loop_t* loop_;
  Handler handler_;
  size_t max_body_;
  uv_tcp_t* listener_ = nullptr;
  std::vector<std::weak_ptr<Connection>> connections_;
  uint16_t port_ = 0;
};

}  // namespace sluice::http
