// The running agent: one libuv loop, the buffer, the inputs and outputs of the current config,
// and its lifecycle (start, SIGHUP reload, SIGTERM drain and exit).
#pragma once

#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/api/agent_state.h"
#include "agent/component.h"
#include "config/loader.h"

namespace sluice {

config::Catalog catalog();

namespace api {
class Api;
}

class Agent final : public api::AgentState {
 public:
  // config_path is re-read on SIGHUP; empty when the config came from elsewhere.
  Agent(config::Config config, std::string config_path);
  ~Agent() override;

  // Runs until SIGTERM/SIGINT and the drain that follows; the process exit code.
  int run();

  // What the API reads.
  std::vector<std::pair<std::string, const Input*>> inputs() const override;
  std::vector<std::pair<std::string, const Output*>> outputs() const override;
  const RingBuffer& buffer() const override { return *buffer_; }
  const config::Config& config() const override { return config_; }
  const std::string& hostname() const override { return ctx_.hostname; }

 private:
  bool build(const config::Config& config, std::string& error);
  void shutdown();
  void finish_drain(bool timed_out);
  void reload();
  void report();

  config::Config config_;
  std::string config_path_;
  uv_loop_t loop_;
  std::unique_ptr<RingBuffer> buffer_;
  AgentContext ctx_;
  std::vector<std::pair<config::Component, std::unique_ptr<Input>>> inputs_;
  std::vector<std::pair<config::Component, std::unique_ptr<Output>>> outputs_;
  std::unique_ptr<api::Api> api_;
  uv_signal_t sigterm_, sigint_, sighup_;
  uv_timer_t drain_timer_;
  uint64_t drain_deadline_ms_ = 0;
  bool stopping_ = false;
  int exit_code_ = 0;
};

}  // namespace sluice
