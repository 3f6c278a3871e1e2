#include "agent/agent.h"

#include <unistd.h>

#include <algorithm>

#include "agent/api/api.h"
#include "agent/log.h"
#include "agent/systemd_notify.h"
#include "inputs/registry.h"
#include "outputs/registry.h"

namespace sluice {
namespace {

constexpr uint64_t kDrainCheckMs = 10;

// A validated config names only kinds that loaded; a module removed since is an error.
template <class Kind>
const Kind& kind(const modules::KindRegistry<Kind>& kinds, const std::string& type) {
  std::string error;
  const Kind* k = kinds.find(type, error);
  if (!k) throw std::runtime_error(error);
  return *k;
}

std::string host_name(const config::Options& agent) {
  if (!agent.string("hostname").empty()) return agent.string("hostname");
  char buf[256] = {};
  gethostname(buf, sizeof buf - 1);
  return buf;
}

WhenFull when_full(const config::Options& buffer) {
  return buffer.string("when_full") == "drop_oldest" ? WhenFull::drop_oldest
                                                     : WhenFull::drop_newest;
}

}  // namespace

std::vector<std::pair<std::string, const Input*>> Agent::inputs() const {
  std::vector<std::pair<std::string, const Input*>> out;
  for (const auto& [c, input] : inputs_) out.emplace_back(c.name, input.get());
  return out;
}

std::vector<std::pair<std::string, const Output*>> Agent::outputs() const {
  std::vector<std::pair<std::string, const Output*>> out;
  for (const auto& [c, output] : outputs_) out.emplace_back(c.name, output.get());
  return out;
}

config::Catalog catalog() {
  auto kinds = [](const auto& registry) {
    return config::Catalog::Kinds{
        registry.types(),
        [&registry](std::string_view type, std::string& error) -> const config::ComponentSchema* {
          const auto* k = registry.find(type, error);
          return k ? &k->schema : nullptr;
        }};
  };
  return {kinds(input_kinds()), kinds(output_kinds())};
}

Agent::Agent(config::Config config, std::string config_path)
    : config_(std::move(config)), config_path_(std::move(config_path)) {
  uv_loop_init(&loop_);
  buffer_ =
      std::make_unique<RingBuffer>(config_.buffer.size("max_bytes"), when_full(config_.buffer),
                                   config_.buffer.string("compression") == "zstd");
  ctx_ = AgentContext{&loop_, buffer_.get(), host_name(config_.agent),
                      config_.agent.string("data_dir")};
  log::set_level(log::parse_level(config_.agent.string("log_level")));
}

Agent::~Agent() {
  api_.reset();
  inputs_.clear();
  outputs_.clear();
  uv_walk(
      &loop_,
      [](uv_handle_t* h, void*) {
        if (!uv_is_closing(h)) uv_close(h, nullptr);
      },
      nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);  // let close callbacks free their handles
  uv_loop_close(&loop_);
}

bool Agent::build(const config::Config& config, std::string& error) {
  try {
    for (const auto& c : config.outputs) {
      auto output = kind(output_kinds(), c.type).build(c, ctx_);
      outputs_.emplace_back(c, std::move(output));
    }
    for (const auto& c : config.inputs) {
      inputs_.emplace_back(c, kind(input_kinds(), c.type).build(c, ctx_));
    }
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  return true;
}

int Agent::run() {
  std::string error;
  if (!build(config_, error)) {
    log::error("agent", error);
    return 1;
  }
  if (config_.api.boolean("enabled")) {
    api_ = std::make_unique<api::Api>(&loop_, *this, *buffer_);
    if (!api_->start(config_.api.string("listen"), error)) {
      log::error("agent", "[api] " + error);
      return 1;
    }
    log::info("api", "listening on " + config_.api.string("listen") + " (port " +
                         std::to_string(api_->port()) + ")");
  }
  for (auto& [c, output] : outputs_) output->start();
  for (auto& [c, input] : inputs_) {
    if (!input->start(error)) {
      log::error("agent", "[inputs." + c.name + "] " + error);
      return 1;
    }
  }
  uv_signal_init(&loop_, &sigterm_);
  uv_signal_init(&loop_, &sigint_);
  uv_signal_init(&loop_, &sighup_);
  sigterm_.data = sigint_.data = sighup_.data = this;
  auto on_stop = [](uv_signal_t* s, int) { static_cast<Agent*>(s->data)->shutdown(); };
  uv_signal_start(&sigterm_, on_stop, SIGTERM);
  uv_signal_start(&sigint_, on_stop, SIGINT);
  uv_signal_start(
      &sighup_, [](uv_signal_t* s, int) { static_cast<Agent*>(s->data)->reload(); }, SIGHUP);
  uv_timer_init(&loop_, &drain_timer_);
  drain_timer_.data = this;
  notify_systemd("READY=1");
  log::info("agent", "running with " + std::to_string(inputs_.size()) + " input(s) and " +
                         std::to_string(outputs_.size()) + " output(s), host " + ctx_.hostname);
  uv_run(&loop_, UV_RUN_DEFAULT);
  return exit_code_;
}

// Stop reading, then give the outputs until shutdown_timeout to deliver what is buffered.
void Agent::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  notify_systemd("STOPPING=1");
  log::info("agent", "stopping: draining the buffer");
  for (auto& [c, input] : inputs_) input->stop();
  drain_deadline_ms_ =
      uv_now(&loop_) + static_cast<uint64_t>(config_.agent.duration_ms("shutdown_timeout"));
  uv_timer_start(
      &drain_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<Agent*>(t->data);
        const bool drained = std::all_of(self->outputs_.begin(), self->outputs_.end(),
                                         [](const auto& o) { return o.second->drained(); });
        const bool late = uv_now(&self->loop_) >= self->drain_deadline_ms_;
        if (drained || late) self->finish_drain(!drained);
      },
      0, kDrainCheckMs);
}

void Agent::finish_drain(bool timed_out) {
  uv_timer_stop(&drain_timer_);
  if (timed_out) log::warn("agent", "shutdown_timeout reached: what is left is counted as dropped");
  for (auto& [c, output] : outputs_) output->close();
  report();
  uv_signal_stop(&sigterm_);
  uv_signal_stop(&sigint_);
  uv_signal_stop(&sighup_);
  api_.reset();
  uv_stop(&loop_);
}

// One line per output with its accounting: received = delivered + dropped + buffered.
void Agent::report() {
  for (auto& [c, output] : outputs_) {
    const Output::Stats s = output->stats();
    std::string line = "output " + c.name + ": received=" + std::to_string(s.received) +
                       " delivered=" + std::to_string(s.delivered) +
                       " dropped=" + std::to_string(s.dropped_total());
    for (const auto& [reason, n] : s.dropped)
      line += " dropped." + reason + "=" + std::to_string(n);
    line += " buffered=" + std::to_string(s.unread + s.in_flight);
    for (const auto& [event, n] : s.events) line += " " + event + "=" + std::to_string(n);
    log::info("agent", line);
  }
  for (auto& [c, input] : inputs_) {
    std::string line = "input " + c.name + ":";
    for (const auto& [counter, n] : input->counters())
      line += " " + counter + "=" + std::to_string(n);
    log::info("agent", line);
  }
}

// A valid new config replaces what changed and keeps what did not (a kept input keeps its
// socket; a kept output its connection and in-flight records). An invalid one changes nothing.
void Agent::reload() {
  if (stopping_ || config_path_.empty()) return;
  config::Diagnostics diag;
  auto next = config::load_config_file(config_path_, catalog(), config::getenv_lookup, diag);
  if (!next) {
    for (const auto& d : diag.list()) log::error("reload", d.str());
    log::error("reload", "the new config is invalid; the running one stays");
    return;
  }
  if (next->buffer_fingerprint != config_.buffer_fingerprint) {
    log::warn("reload", "[buffer] changes take effect at the next restart");
  }
  auto running = [](auto& list, const config::Component& c) {
    return std::find_if(list.begin(), list.end(), [&](const auto& r) {
      return r.first.name == c.name && r.first.fingerprint == c.fingerprint;
    });
  };
  // Build every new or changed output first, so that a failure leaves everything as it was.
  std::vector<std::unique_ptr<Output>> fresh(next->outputs.size());
  try {
    for (size_t i = 0; i < next->outputs.size(); ++i) {
      const auto& c = next->outputs[i];
      if (running(outputs_, c) == outputs_.end()) {
        fresh[i] = kind(output_kinds(), c.type).build(c, ctx_);
      }
    }
  } catch (const std::exception& e) {
    log::error("reload", std::string(e.what()) + "; the running config stays");
    return;
  }
  std::vector<std::pair<config::Component, std::unique_ptr<Output>>> outputs;
  for (size_t i = 0; i < next->outputs.size(); ++i) {
    if (fresh[i]) {
      // A changed output continues from its predecessor's last settled record.
      auto old = std::find_if(outputs_.begin(), outputs_.end(),
                              [&](const auto& r) { return r.first.name == next->outputs[i].name; });
      if (old != outputs_.end()) fresh[i]->take_over_from(*old->second);
      fresh[i]->start();
      outputs.emplace_back(next->outputs[i], std::move(fresh[i]));
    } else {
      auto same = running(outputs_, next->outputs[i]);
      outputs.push_back(std::move(*same));
      outputs_.erase(same);
    }
  }
  // Removed outputs count what they held as dropped; replaced ones hold nothing any more.
  for (auto& [c, old] : outputs_) old->close();
  outputs_ = std::move(outputs);
  std::string error;
  std::vector<std::pair<config::Component, std::unique_ptr<Input>>> inputs;
  for (const auto& c : next->inputs) {
    auto same = running(inputs_, c);
    if (same != inputs_.end()) {
      inputs.push_back(std::move(*same));
      inputs_.erase(same);
      continue;
    }
    auto input = kind(input_kinds(), c.type).build(c, ctx_);
    for (auto& [oc, old] : inputs_) {
      if (oc.name == c.name) old->stop();  // frees its socket path for the new one
    }
    if (!input->start(error)) {
      log::error("reload", "[inputs." + c.name + "] " + error);
      continue;
    }
    inputs.emplace_back(c, std::move(input));
  }
  inputs_ = std::move(inputs);
  config_ = std::move(*next);
  log::info("reload", "config reloaded");
}

}  // namespace sluice
