#include <sys/resource.h>
#include <unistd.h>

#include <fstream>

#include "agent/api/api.h"
#include "agent/metrics/prometheus.h"

namespace sluice::api {
namespace {

double resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size = 0, resident = 0;
  statm >> size >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

void input_metrics(const AgentState& state, metrics::Exposition& e) {
  e.family("sluice_input_records_total", "counter", "Records received per input.");
  for (const auto& [name, input] : state.inputs()) {
    const auto counters = input->counters();
    auto it = counters.find("received");
    e.sample("sluice_input_records_total", {{"input", name}},
             it == counters.end() ? 0 : static_cast<double>(it->second));
  }
  e.family("sluice_input_events_total", "counter",
           "Input events other than records, e.g. truncated or unparsed messages.");
  for (const auto& [name, input] : state.inputs()) {
    for (const auto& [event, n] : input->counters()) {
      if (event != "received") {
        e.sample("sluice_input_events_total", {{"input", name}, {"event", event}},
                 static_cast<double>(n));
      }
    }
  }
  for (const auto& [name, input] : state.inputs()) {
    for (const auto& [gauge, v] : input->gauges()) {
      const std::string metric = "sluice_input_" + gauge;
      e.family(metric, "gauge", "Input gauge " + gauge + ".");
      e.sample(metric, {{"input", name}}, v);
    }
  }
}

void output_metrics(const AgentState& state, metrics::Exposition& e) {
  std::vector<std::pair<std::string, Output::Stats>> stats;
  for (const auto& [name, output] : state.outputs()) stats.emplace_back(name, output->stats());
  auto each = [&](const char* metric, const char* type, const char* help, auto value) {
    e.family(metric, type, help);
    for (const auto& [name, s] : stats)
      e.sample(metric, {{"output", name}}, static_cast<double>(value(s)));
  };
  each("sluice_output_received_total", "counter",
       "Records that reached the buffer for this output.",
       [](const Output::Stats& s) { return s.received; });
  each("sluice_output_delivered_total", "counter", "Records the peer acknowledged.",
       [](const Output::Stats& s) { return s.delivered; });
  each("sluice_output_buffered_records", "gauge",
       "Records not yet delivered: unread plus in flight.",
       [](const Output::Stats& s) { return s.unread + s.in_flight; });
  each("sluice_output_in_flight_records", "gauge", "Records sent and awaiting acknowledgement.",
       [](const Output::Stats& s) { return s.in_flight; });
  each("sluice_output_up", "gauge", "1 while the output delivers, 0 while it fails.",
       [](const Output::Stats& s) { return s.failing_since_ms == 0 ? 1 : 0; });
  e.family("sluice_output_dropped_total", "counter", "Records given up, by reason.");
  for (const auto& [name, s] : stats) {
    for (const auto& [reason, n] : s.dropped) {
      e.sample("sluice_output_dropped_total", {{"output", name}, {"reason", reason}},
               static_cast<double>(n));
    }
  }
  e.family("sluice_output_events_total", "counter",
           "Output events: retries, connection failures, truncated messages.");
  for (const auto& [name, s] : stats) {
    for (const auto& [event, n] : s.events) {
      e.sample("sluice_output_events_total", {{"output", name}, {"event", event}},
               static_cast<double>(n));
    }
  }
  e.family("sluice_output_request_duration_seconds", "histogram",
           "Time from sending records to their acknowledgement.");
  for (const auto& [name, s] : stats) {
    e.histogram("sluice_output_request_duration_seconds", {{"output", name}}, s.latency);
  }
}

}  // namespace

http::Response metrics_page(const AgentState& state, size_t tail_clients) {
  metrics::Exposition e;
  input_metrics(state, e);
  output_metrics(state, e);
  const RingBuffer& b = state.buffer();
  e.family("sluice_buffer_bytes", "gauge",
           "Memory held by the buffer's segments, and by freed ones kept for reuse.");
  e.sample("sluice_buffer_bytes", {}, static_cast<double>(b.bytes_used()));
  e.family("sluice_buffer_capacity_bytes", "gauge", "buffer.max_bytes.");
  e.sample("sluice_buffer_capacity_bytes", {}, static_cast<double>(b.max_bytes()));
  e.family("sluice_buffer_compressed_bytes", "gauge",
           "Memory held by compressed segments (part of sluice_buffer_bytes).");
  e.sample("sluice_buffer_compressed_bytes", {}, static_cast<double>(b.compressed_bytes()));
  e.family("sluice_buffer_compressed_records_bytes", "gauge",
           "What the records in compressed segments take uncompressed.");
  e.sample("sluice_buffer_compressed_records_bytes", {},
           static_cast<double>(b.compressed_records_bytes()));
  e.family("sluice_buffer_compression_ratio", "gauge",
           "Uncompressed over compressed size of the compressed segments (1 when none).");
  e.sample("sluice_buffer_compression_ratio", {},
           b.compressed_bytes() ? static_cast<double>(b.compressed_records_bytes()) /
                                      static_cast<double>(b.compressed_bytes())
                                : 1.0);
  e.family("sluice_buffer_records", "gauge", "Records not yet read by the slowest output.");
  e.sample("sluice_buffer_records", {}, static_cast<double>(b.records_buffered()));
  e.family("sluice_tail_clients", "gauge", "Clients connected to /tail.");
  e.sample("sluice_tail_clients", {}, static_cast<double>(tail_clients));
  e.family("sluice_process_resident_memory_bytes", "gauge", "Resident set size.");
  e.sample("sluice_process_resident_memory_bytes", {}, resident_bytes());
  e.family("sluice_process_cpu_seconds_total", "counter", "User and system CPU time.");
  e.sample("sluice_process_cpu_seconds_total", {}, cpu_seconds());
  return {200, "text/plain; version=0.0.4; charset=utf-8", e.text()};
}

}  // namespace sluice::api
