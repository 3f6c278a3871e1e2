// The agent's HTTP API: /health, /metrics, /tail and /config.
#pragma once

#include <memory>
#include <string>

#include "agent/api/agent_state.h"
#include "agent/api/tail.h"
#include "agent/http/http_server.h"

namespace sluice::api {

class Api {
 public:
  Api(uv_loop_t* loop, const AgentState& state, RingBuffer& buffer);
  ~Api();
  bool start(const std::string& listen, std::string& error);
  uint16_t port() const { return server_.port(); }

 private:
  std::unique_ptr<http::Response> route(const http::Request& req,
                                        const http::Server::StreamStarter& start_stream);

  uv_loop_t* loop_;
  const AgentState& state_;
  RingBuffer& buffer_;
  TailHub tail_;
  http::Server server_;
};

// The pages, each from the agent's state alone.
http::Response health_page(const AgentState& state, uint64_t now_ms);
http::Response metrics_page(const AgentState& state, size_t tail_clients);
http::Response config_page(const AgentState& state);

}  // namespace sluice::api
