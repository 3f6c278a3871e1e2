#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "agent/api/api.h"

namespace sluice::api {

// 200 while every input reads and no output has failed for longer than
// api.health_failing_after; 503 with the reasons otherwise. Marathon health checks and
// Kubernetes liveness probes point here.
http::Response health_page(const AgentState& state, uint64_t now_ms) {
  const uint64_t limit_ms =
      static_cast<uint64_t>(state.config().api.duration_ms("health_failing_after"));
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  bool ok = true;
  w.StartObject();
  w.Key("inputs");
  w.StartObject();
  for (const auto& [name, input] : state.inputs()) {
    const std::string problem = input->problem();
    ok = ok && problem.empty();
    w.Key(name.c_str());
    w.StartObject();
    w.Key("state");
    w.String(problem.empty() ? "ok" : "failing");
    if (!problem.empty()) {
      w.Key("reason");
      w.String(problem.c_str());
    }
    w.EndObject();
  }
  w.EndObject();
  w.Key("outputs");
  w.StartObject();
  for (const auto& [name, output] : state.outputs()) {
    const Output::Stats s = output->stats();
    w.Key(name.c_str());
    w.StartObject();
    w.Key("state");
    if (s.failing_since_ms == 0) {
      w.String("ok");
    } else {
      const uint64_t failing_for = now_ms - std::min(now_ms, s.failing_since_ms);
      if (failing_for >= limit_ms) ok = false;
      w.String(failing_for >= limit_ms ? "failing" : "retrying");
      w.Key("failing_for_seconds");
      w.Double(static_cast<double>(failing_for) / 1000.0);
      w.Key("reason");
      w.String(s.failure.c_str());
    }
    w.Key("buffered");
    w.Uint64(s.unread + s.in_flight);
    w.EndObject();
  }
  w.EndObject();
  w.Key("status");
  w.String(ok ? "ok" : "failing");
  w.EndObject();
  return {ok ? 200 : 503, "application/json", std::string(sb.GetString()) + "\n"};
}

}  // namespace sluice::api
