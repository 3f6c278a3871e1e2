#include "agent/api/api.h"

namespace sluice::api {

Api::Api(uv_loop_t* loop, const AgentState& state, RingBuffer& buffer)
    : loop_(loop),
      state_(state),
      buffer_(buffer),
      tail_(state.hostname()),
      server_(loop, [this](const http::Request& r, const http::Server::StreamStarter& s) {
        return route(r, s);
      }) {}

Api::~Api() { buffer_.set_tap(nullptr); }

bool Api::start(const std::string& listen, std::string& error) {
  return server_.listen(listen, error);
}

std::unique_ptr<http::Response> Api::route(const http::Request& req,
                                           const http::Server::StreamStarter& start_stream) {
  if (req.method != "GET") {
    return std::make_unique<http::Response>(
        http::Response{405, "text/plain; charset=utf-8", "only GET\n"});
  }
  if (req.path == "/health")
    return std::make_unique<http::Response>(health_page(state_, uv_now(loop_)));
  if (req.path == "/metrics")
    return std::make_unique<http::Response>(metrics_page(state_, tail_.clients()));
  if (req.path == "/config") return std::make_unique<http::Response>(config_page(state_));
  if (req.path == "/tail") {
    // A misspelt filter would silently stream everything: refuse it.
    const std::string unknown = req.unknown_param({"container", "app", "input", "q"});
    if (!unknown.empty()) {
      return std::make_unique<http::Response>(
          http::Response{400, "text/plain; charset=utf-8",
                         "unknown parameter '" + unknown +
                             "': filter with container, app, input or q (substring)\n"});
    }
    TailFilter f{req.param("container"), req.param("app"), req.param("input"), req.param("q")};
    tail_.add(start_stream("application/x-ndjson"), std::move(f));
    // The tap costs nothing until the first client arrives.
    buffer_.set_tap([this](const Record& r) { tail_.offer(r); });
    return nullptr;
  }
  return std::make_unique<http::Response>(http::Response{
      404, "text/plain; charset=utf-8", "not found: try /health, /metrics, /tail, /config\n"});
}

}  // namespace sluice::api
