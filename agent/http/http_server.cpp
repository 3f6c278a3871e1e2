#include "agent/http/http_server.h"

#include <http_parser.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "agent/net/address.h"

namespace sluice::http {
namespace {

constexpr size_t kMaxHeaderBytes = 64 * 1024;

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Payload Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
               hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

namespace {

// Calls fn(name, raw value, has '=') for each name[=value] of the query, until fn returns true.
template <typename Fn>
void each_param(std::string_view q, Fn fn) {
  while (!q.empty()) {
    const size_t amp = q.find('&');
    const std::string_view pair = q.substr(0, amp);
    const size_t eq = pair.find('=');
    const std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (fn(percent_decode(pair.substr(0, eq)), value)) return;
    if (amp == std::string_view::npos) return;
    q.remove_prefix(amp + 1);
  }
}

}  // namespace

std::string Request::param(std::string_view name) const {
  std::string out;
  each_param(query, [&](const std::string& n, std::string_view value) {
    if (n != name) return false;
    out = percent_decode(value);
    return true;
  });
  return out;
}

std::string Request::unknown_param(std::initializer_list<std::string_view> known) const {
  std::string out;
  each_param(query, [&](const std::string& n, std::string_view) {
    if (n.empty() || std::find(known.begin(), known.end(), n) != known.end()) return false;
    out = n;
    return true;
  });
  return out;
}

struct Server::Connection : std::enable_shared_from_this<Server::Connection> {
  Server* server;
  uv_tcp_t tcp;
  http_parser parser;
  http_parser_settings settings;
  Request request;
  std::string url;
  std::string header_name;
  bool in_value = false;  // a header value came last: the next field callback starts a name
  size_t bytes_in = 0;
  bool too_large = false;
  bool streaming = false;
  bool closed = false;
  std::shared_ptr<Connection> self;  // keeps it alive until the handle is closed

  struct Write {
    uv_write_t req;
    std::string data;
  };

  void send(std::string data) {
    if (closed) return;
    auto* w = new Write;
    w->data = std::move(data);
    uv_buf_t buf = uv_buf_init(w->data.data(), static_cast<unsigned>(w->data.size()));
    w->req.data = this;
    if (uv_write(&w->req, reinterpret_cast<uv_stream_t*>(&tcp), &buf, 1,
                 [](uv_write_t* r, int status) {
                   auto* conn = static_cast<Connection*>(r->data);
                   delete reinterpret_cast<Write*>(r);
                   if (status < 0) conn->close();
                 }) != 0) {
      delete w;
      close();
    }
  }

  size_t queued() const {
    return uv_stream_get_write_queue_size(reinterpret_cast<const uv_stream_t*>(&tcp));
  }

  void close() {
    if (closed) return;
    closed = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&tcp), [](uv_handle_t* h) {
      auto* conn = static_cast<Connection*>(h->data);
      conn->self.reset();  // may delete this
    });
  }

  void respond(const Response& r, bool keep_alive) {
    std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " + reason(r.status) +
                       "\r\nContent-Type: " + r.content_type +
                       "\r\nContent-Length: " + std::to_string(r.body.size()) +
                       (keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n");
    send(head + r.body);
    if (!keep_alive) {
      uv_shutdown_t* req = new uv_shutdown_t;
      if (uv_shutdown(req, reinterpret_cast<uv_stream_t*>(&tcp), [](uv_shutdown_t* s, int) {
            static_cast<Connection*>(s->handle->data)->close();
            delete s;
          }) != 0) {
        delete req;
        close();
      }
    }
  }

  void on_request() {
    if (too_large) {
      return respond(
          {413, "application/json", "{\"error\":{\"type\":\"content_too_long\"},\"status\":413}\n"},
          false);
    }
    http_parser_url u;
    http_parser_url_init(&u);
    if (http_parser_parse_url(url.data(), url.size(), 0, &u) != 0) {
      return respond({400, "text/plain; charset=utf-8", "bad request target\n"}, false);
    }
    if (u.field_set & (1 << UF_PATH)) {
      request.path = url.substr(u.field_data[UF_PATH].off, u.field_data[UF_PATH].len);
    }
    if (u.field_set & (1 << UF_QUERY)) {
      request.query = url.substr(u.field_data[UF_QUERY].off, u.field_data[UF_QUERY].len);
    }
    request.method = http_method_str(static_cast<http_method>(parser.method));
    auto weak = weak_from_this();
    StreamStarter start = [this, weak](std::string content_type) -> std::shared_ptr<Stream> {
      streaming = true;
      send("HTTP/1.1 200 OK\r\nContent-Type: " + content_type +
           "\r\nTransfer-Encoding: chunked\r\nCache-Control: no-cache\r\n\r\n");
      return std::make_shared<ChunkStream>(weak);
    };
    auto response = server->handler_(request, start);
    if (response && response->reset) return close();
    if (response) respond(*response, http_should_keep_alive(&parser) != 0);
    request = Request{};
    url.clear();
    bytes_in = 0;
    too_large = false;
  }

  class ChunkStream : public Stream {
   public:
    explicit ChunkStream(std::weak_ptr<Connection> c) : conn_(std::move(c)) {}
    void write(std::string_view chunk) override {
      auto c = conn_.lock();
      if (!c || chunk.empty()) return;
      char size[20];
      auto [end, ec] = std::to_chars(size, size + sizeof size, chunk.size(), 16);
      (void)ec;
      c->send(std::string(size, end) + "\r\n" + std::string(chunk) + "\r\n");
    }
    size_t queued_bytes() const override {
      auto c = conn_.lock();
      return c ? c->queued() : 0;
    }
    bool open() const override {
      auto c = conn_.lock();
      return c && !c->closed;
    }

   private:
    std::weak_ptr<Connection> conn_;
  };
};

Server::Server(uv_loop_t* loop, Handler handler, size_t max_body)
    : loop_(loop), handler_(std::move(handler)), max_body_(max_body) {}

Server::~Server() { close(); }

bool Server::listen(const std::string& address, std::string& error) {
  std::string host;
  uint16_t port = 0;
  if (!net::split_host_port(address, host, port)) {
    error = "'" + address + "' is not HOST:PORT";
    return false;
  }
  sockaddr_storage addr{};
  int rc = host.find(':') != std::string::npos
               ? uv_ip6_addr(host.c_str(), port, reinterpret_cast<sockaddr_in6*>(&addr))
               : uv_ip4_addr(host.c_str(), port, reinterpret_cast<sockaddr_in*>(&addr));
  listener_ = new uv_tcp_t;
  uv_tcp_init(loop_, listener_);
  listener_->data = this;
  if (rc == 0) rc = uv_tcp_bind(listener_, reinterpret_cast<sockaddr*>(&addr), 0);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(listener_), 64, [](uv_stream_t* s, int status) {
      if (status == 0) static_cast<Server*>(s->data)->on_connection();
    });
  }
  if (rc != 0) {
    error = "listen on " + address + ": " + uv_strerror(rc);
    close();
    return false;
  }
  sockaddr_storage bound{};
  int len = sizeof bound;
  uv_tcp_getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  return true;
}

void Server::close() {
  for (auto& weak : connections_) {
    if (auto c = weak.lock()) c->close();
  }
  connections_.clear();
  if (!listener_) return;
  uv_close(reinterpret_cast<uv_handle_t*>(listener_),
           [](uv_handle_t* h) { delete reinterpret_cast<uv_tcp_t*>(h); });
  listener_ = nullptr;
}

void Server::on_connection() {
  auto conn = std::make_shared<Connection>();
  conn->self = conn;
  std::erase_if(connections_, [](const auto& w) { return w.expired(); });
  connections_.push_back(conn);
  conn->server = this;
  uv_tcp_init(loop_, &conn->tcp);
  conn->tcp.data = conn.get();
  if (uv_accept(reinterpret_cast<uv_stream_t*>(listener_),
                reinterpret_cast<uv_stream_t*>(&conn->tcp)) != 0) {
    conn->close();
    return;
  }
  http_parser_init(&conn->parser, HTTP_REQUEST);
  conn->parser.data = conn.get();
  http_parser_settings_init(&conn->settings);
  conn->settings.on_url = [](http_parser* p, const char* at, size_t n) {
    static_cast<Connection*>(p->data)->url.append(at, n);
    return 0;
  };
  conn->settings.on_header_field = [](http_parser* p, const char* at, size_t n) {
    auto* c = static_cast<Connection*>(p->data);
    // A name split across reads arrives in several callbacks (the last one maybe empty).
    if (c->in_value) c->header_name.clear();
    c->in_value = false;
    for (size_t i = 0; i < n; ++i)
      c->header_name += static_cast<char>(std::tolower(static_cast<unsigned char>(at[i])));
    return 0;
  };
  conn->settings.on_header_value = [](http_parser* p, const char* at, size_t n) {
    auto* c = static_cast<Connection*>(p->data);
    c->in_value = true;
    c->request.headers[c->header_name].append(at, n);
    return 0;
  };
  conn->settings.on_headers_complete = [](http_parser* p) {
    auto* c = static_cast<Connection*>(p->data);
    c->header_name.clear();
    c->in_value = false;
    return 0;
  };
  conn->settings.on_body = [](http_parser* p, const char* at, size_t n) {
    auto* c = static_cast<Connection*>(p->data);
    if (c->request.body.size() + n > c->server->max_body_) {
      c->too_large = true;  // keep parsing (and discarding) so the answer comes after the body
    } else {
      c->request.body.append(at, n);
    }
    return 0;
  };
  conn->settings.on_message_complete = [](http_parser* p) {
    auto* c = static_cast<Connection*>(p->data);
    // Requests pipelined behind one that started a stream (or closed) in the same read are
    // ignored, as later reads are: an answer would land inside the chunked stream.
    if (!c->streaming && !c->closed) c->on_request();
    return 0;
  };
  uv_read_start(
      reinterpret_cast<uv_stream_t*>(&conn->tcp),
      [](uv_handle_t*, size_t suggested, uv_buf_t* buf) {
        buf->base = new char[suggested];
        buf->len = suggested;
      },
      [](uv_stream_t* s, ssize_t n, const uv_buf_t* buf) {
        auto* conn = static_cast<Connection*>(s->data);
        std::unique_ptr<char[]> data(buf->base);
        if (n < 0) return conn->close();
        if (n == 0) return;  // "nothing now"; zero bytes would tell the parser the stream ended
        if (conn->streaming) return;  // a tail client has nothing more to say
        conn->bytes_in += static_cast<size_t>(n);
        size_t parsed =
            http_parser_execute(&conn->parser, &conn->settings, buf->base, static_cast<size_t>(n));
        if (conn->closed || conn->streaming) return;  // a stream's answer has begun
        if (conn->parser.http_errno != HPE_OK || parsed != static_cast<size_t>(n)) {
          conn->respond(
              {400, "text/plain; charset=utf-8",
               std::string(http_errno_description(HTTP_PARSER_ERRNO(&conn->parser))) + "\n"},
              false);
        } else if (conn->bytes_in > conn->server->max_body_ + kMaxHeaderBytes && !conn->streaming) {
          conn->respond({413, "text/plain; charset=utf-8", "request too large\n"}, false);
        }
      });
}

}  // namespace sluice::http
