#include "inputs/docker/docker_input.h"

#include <rapidjson/document.h>
#include <sys/stat.h>

#include <fstream>
#include <map>
#include <set>

#include "agent/backoff.h"
#include "agent/log.h"
#include "agent/modules/module_loader.h"
#include "agent/uv_handle.h"
#include "inputs/docker/container_follower.h"

namespace sluice::docker {
namespace {

const config::Option kMultiline[] = {
    {"start_pattern", config::Type::string, "",
     "RE2 pattern of a line that begins a record, e.g. \"^\\\\S\" (empty: one record per line); "
     "a container's label sluice.multiline.start_pattern overrides it"},
    {"timeout", config::Type::duration, "1s", "A held record is complete after this quiet time"},
    {"max_bytes", config::Type::size, "1MiB", "A joined record is complete at this size"},
};

const config::Option kOptions[] = {
    {"socket", config::Type::string, "/var/run/docker.sock", "The Engine API's unix socket"},
    {"labels", config::Type::strings, "",
     "Container labels copied to records (the Kubernetes pod labels always are)"},
    {"env", config::Type::strings,
     "MARATHON_APP_ID,MARATHON_APP_VERSION,MESOS_TASK_ID,MESOS_EXECUTOR_ID",
     "Container environment variables copied to records"},
    {"include_names", config::Type::strings, "",
     "Follow only containers whose name matches a glob"},
    {"exclude_names", config::Type::strings, "",
     "Never follow containers whose name matches a glob"},
    {"max_line_bytes", config::Type::size, "1MiB", "Longer lines are cut and counted as truncated"},
    {"checkpoint_interval", config::Type::duration, "1s",
     "How often read positions are saved to data_dir"},
    {"multiline",
     config::Type::table,
     "",
     "Joining lines into records (stack traces)",
     false,
     {},
     kMultiline},
};

void validate(const config::Options& o, config::Diagnostics& diag) {
  const auto& m = o.table("multiline");
  std::string error;
  if (!m.string("start_pattern").empty() &&
      !make_multiline_rule(m.string("start_pattern"), 1000, 1024, error)) {
    diag.error(m.position("start_pattern"), o.path() + ".multiline.start_pattern: " + error);
  }
}

constexpr uint64_t kRetryInitialMs = 250;

// The agent's own container, from its cgroup path (a 64-hex container id), if it runs in one.
std::string own_container_id() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    size_t run = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      run = ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) ? run + 1 : 0;
      const bool ends =
          i + 1 == line.size() || !std::isxdigit(static_cast<unsigned char>(line[i + 1]));
      if (run == 64 && ends) return line.substr(i - 63, 64);
    }
  }
  return "";
}

std::string url_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class DockerInput final : public Input {
 public:
  DockerInput(const config::Component& c, AgentContext& ctx)
      : ctx_(ctx),
        name_(c.name),
        socket_(c.options.string("socket")),
        max_line_(c.options.size("max_line_bytes")),
        checkpoint_ms_(static_cast<uint64_t>(c.options.duration_ms("checkpoint_interval"))),
        multi_(ctx.loop),
        engine_(multi_, socket_),
        checkpoints_(ctx.data_dir + "/docker-" + c.name + ".json"),
        backoff_(kRetryInitialMs, 10000) {
    selection_.label_allow = c.options.strings("labels");
    selection_.env_allow = c.options.strings("env");
    selection_.include_names = c.options.strings("include_names");
    selection_.exclude_names = c.options.strings("exclude_names");
    selection_.own_container_id = own_container_id();
    const auto& m = c.options.table("multiline");
    multiline_timeout_ms_ = m.duration_ms("timeout");
    multiline_max_ = m.size("max_bytes");
    std::string error;
    if (!m.string("start_pattern").empty()) {
      multiline_ = make_multiline_rule(m.string("start_pattern"), multiline_timeout_ms_,
                                       multiline_max_, error);
    }
  }

  ~DockerInput() override { stop(); }

  bool start(std::string& error) override {
    struct stat st;
    if (stat(ctx_.data_dir.c_str(), &st) != 0 && mkdir(ctx_.data_dir.c_str(), 0750) != 0) {
      log::warn(name_,
                "cannot create data_dir " + ctx_.data_dir + ": checkpoints will not be saved");
    }
    std::string load_error;
    checkpoints_.load(load_error);
    if (!load_error.empty()) log::warn(name_, load_error);
    retry_timer_ = new_timer<uv_timer_t>(ctx_.loop, this);
    checkpoint_timer_ = new_timer<uv_timer_t>(ctx_.loop, this);
    uv_timer_start(
        checkpoint_timer_,
        [](uv_timer_t* t) { static_cast<DockerInput*>(t->data)->save_checkpoints(); },
        checkpoint_ms_, checkpoint_ms_);
    connect();
    (void)error;  // the engine may come later: not reaching it is a state, not a start failure
    return true;
  }

  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    events_.reset();
    for (auto& [id, f] : followers_) f->detach();
    save_checkpoints();
    close_handle(retry_timer_);
    close_handle(checkpoint_timer_);
  }

  std::map<std::string, uint64_t> counters() const override {
    return {{"received", counters_.lines},
            {"truncated", counters_.truncated},
            {"duplicates_skipped", counters_.duplicates_skipped},
            {"garbage_headers", counters_.garbage_headers},
            {"engine_errors", engine_errors_},
            {"containers_skipped", skipped_},
            {"checkpoint_failures", checkpoint_failures_}};
  }
  std::map<std::string, double> gauges() const override {
    double attached = 0;
    for (const auto& [id, f] : followers_) attached += f->attached();
    return {{"containers_attached", attached}};
  }
  std::string problem() const override { return problem_; }

 private:
  // (Re)connects: subscribe to events first, then list, so no container starting in between
  // is missed; a container seen twice is followed once.
  void connect() {
    if (stopped_) return;
    const std::string filters = url_encode(R"({"type":["container"]})");
    events_ = engine_.stream(
        "/events?filters=" + filters, [this](std::string_view chunk) { on_events(chunk); },
        [this](long status, const std::string& error) {
          engine_failed(error.empty()
                            ? "events stream ended (status " + std::to_string(status) + ")"
                            : error);
        });
    engine_.get("/containers/json", [this, alive = alive_](long status, std::string body,
                                                           std::string error) {
      if (alive.expired()) return;
      if (status != 200)
        return engine_failed(error.empty() ? "list answered " + std::to_string(status) : error);
      problem_.clear();
      backoff_.reset();
      rapidjson::Document d;
      d.Parse<rapidjson::kParseIterativeFlag>(body.c_str());  // no recursion on nesting
      if (!d.IsArray()) return;
      for (auto& c : d.GetArray()) {
        if (c.HasMember("Id") && c["Id"].IsString()) follow(c["Id"].GetString());
      }
    });
  }

  void engine_failed(const std::string& why) {
    if (stopped_) return;
    ++engine_errors_;
    problem_ = "cannot reach the container engine at " + socket_ + ": " + why;
    log::limited(log::Level::warn, name_, "engine", problem_);
    events_.reset();
    if (!uv_is_active(reinterpret_cast<uv_handle_t*>(retry_timer_))) {
      uv_timer_start(
          retry_timer_, [](uv_timer_t* t) { static_cast<DockerInput*>(t->data)->connect(); },
          static_cast<uint64_t>(backoff_.next_ms()), 0);
    }
  }

  void on_events(std::string_view chunk) {
    events_buf_.append(chunk);
    size_t nl;
    while ((nl = events_buf_.find('\n')) != std::string::npos) {
      rapidjson::Document e;
      e.Parse<rapidjson::kParseIterativeFlag>(events_buf_.data(), nl);
      events_buf_.erase(0, nl + 1);
      if (e.HasParseError() || !e.IsObject()) continue;
      const char* action = e.HasMember("Action") && e["Action"].IsString() ? e["Action"].GetString()
                           : e.HasMember("status") && e["status"].IsString()
                               ? e["status"].GetString()
                               : "";
      std::string id = e.HasMember("id") && e["id"].IsString() ? e["id"].GetString() : "";
      if (id.empty() && e.HasMember("Actor") && e["Actor"].HasMember("ID"))
        id = e["Actor"]["ID"].GetString();
      const std::string_view a(action);
      log::debug(name_, "event " + std::string(a) + " " + id.substr(0, 12));
      if (a == "start" || a == "restart") {
        follow(id);
      } else if (a == "destroy" || a == "remove") {
        forget(id);
      }
    }
  }

  void follow(const std::string& id) {
    if (stopped_ || pending_.count(id)) return;
    auto it = followers_.find(id);
    if (it != followers_.end()) {
      if (!it->second->attached()) attach(*it->second);  // restarted container
      return;
    }
    pending_.insert(id);
    engine_.get("/containers/" + id + "/json", [this, id, alive = alive_](long status,
                                                                          std::string body,
                                                                          std::string error) {
      if (alive.expired()) return;
      pending_.erase(id);
      if (status != 200) {
        if (status != 404)
          engine_failed(error.empty() ? "inspect answered " + std::to_string(status) : error);
        return;
      }
      std::string parse_error;
      auto info = parse_container(body, name_, selection_, parse_error);
      if (!info) {
        log::limited(log::Level::warn, name_, "inspect", id + ": " + parse_error);
        return;
      }
      if (!info->skip_reason.empty()) {
        ++skipped_;
        log::debug(name_, "not following " + info->meta->container_name + ": " + info->skip_reason);
        return;
      }
      const ContainerPosition* saved = checkpoints_.find(id);
      auto rule = multiline_for(*info);
      auto f = std::make_unique<ContainerFollower>(std::move(*info),
                                                   saved ? *saved : ContainerPosition{}, ctx_,
                                                   engine_, max_line_, counters_, std::move(rule));
      log::info(name_,
                "following " + f->info().meta->container_name + " (" + id.substr(0, 12) + ")");
      attach(*f);
      followers_[id] = std::move(f);
    });
  }

  // When a follower's log ends (after its last read to the end), the container stopped, the
  // engine went away, or podman ended the follow stream early.
  void attach(ContainerFollower& f) {
    const std::string id = f.info().id;
    f.attach([this, id, alive = alive_](const std::string& error) {
      if (alive.expired() || stopped_) return;
      if (!error.empty())
        log::limited(log::Level::warn, name_, "logs", id.substr(0, 12) + ": " + error);
      check_running(id);
    });
  }

  // After a follower's log ended: follow again if the container still runs.
  void check_running(const std::string& id) {
    engine_.get("/containers/" + id + "/json", [this, id, alive = alive_](
                                                   long status, std::string body, std::string) {
      if (alive.expired() || stopped_) return;
      auto it = followers_.find(id);
      if (it == followers_.end()) return;
      std::string e;
      auto info = status == 200 ? parse_container(body, name_, selection_, e) : std::nullopt;
      if (info && info->running) attach(*it->second);
      // Stopped: its position stays checkpointed until the container is removed.
    });
  }

  // A container's own rule (label sluice.multiline.start_pattern) wins over the input's.
  std::optional<MultilineRule> multiline_for(const ContainerInfo& info) {
    if (info.multiline_label.empty()) return multiline_;
    std::string error;
    auto rule =
        make_multiline_rule(info.multiline_label, multiline_timeout_ms_, multiline_max_, error);
    if (rule) return rule;
    log::limited(log::Level::warn, name_, "multiline", info.meta->container_name + ": " + error);
    return multiline_;
  }

  void forget(const std::string& id) {
    auto it = followers_.find(id);
    if (it == followers_.end()) return;
    log::info(name_, "released " + it->second->info().meta->container_name);
    followers_.erase(it);
    checkpoints_.erase(id);
  }

  void save_checkpoints() {
    const uint64_t settled = ctx_.buffer->settled_seq();
    for (auto& [id, f] : followers_) checkpoints_.set(id, f->settled(settled));
    std::string error;
    if (checkpoints_.save(error)) {
      if (!checkpoint_error_.empty()) log::info(name_, "checkpoints are saved again");
      checkpoint_error_.clear();
      return;
    }
    // Shipping goes on; only a restart would repeat lines. A new reason is told at once.
    ++checkpoint_failures_;
    const std::string message = "cannot save checkpoints (a restart would repeat lines): " + error;
    if (error != checkpoint_error_) {
      log::warn(name_, message);
    } else {
      log::limited(log::Level::warn, name_, "checkpoint", message);
    }
    checkpoint_error_ = error;
  }

  AgentContext& ctx_;
  std::string name_;
  std::string socket_;
  size_t max_line_;
  uint64_t checkpoint_ms_;
  http::CurlMulti multi_;
  EngineClient engine_;
  Checkpoints checkpoints_;
  Selection selection_;
  Backoff backoff_;
  std::shared_ptr<bool> alive_token_ = std::make_shared<bool>(true);
  std::weak_ptr<bool> alive_ = alive_token_;
  std::unique_ptr<EngineClient::Stream> events_;
  std::string events_buf_;
  std::map<std::string, std::unique_ptr<ContainerFollower>> followers_;
  std::set<std::string> pending_;
  FollowerCounters counters_;
  uint64_t engine_errors_ = 0;
  uint64_t skipped_ = 0;
  uint64_t checkpoint_failures_ = 0;
  std::string checkpoint_error_;  // the last save's failure; empty once one works
  std::string problem_;
  uv_timer_t* retry_timer_ = nullptr;
  uv_timer_t* checkpoint_timer_ = nullptr;
  bool stopped_ = false;
  std::optional<MultilineRule> multiline_;
  int64_t multiline_timeout_ms_ = 1000;
  size_t multiline_max_ = 1 << 20;
};

}  // namespace

const InputKind kind{
    {"docker", "Containers' stdout and stderr through the Docker Engine API (Docker or podman)",
     kOptions, validate},
    [](const config::Component& c, AgentContext& ctx) -> std::unique_ptr<Input> {
      return std::make_unique<DockerInput>(c, ctx);
    },
};

}  // namespace sluice::docker

SLUICE_MODULE_ENTRY(input, docker, sluice::docker::kind)
