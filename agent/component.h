// The interfaces every input and output implements, and what the agent hands them.
#pragma once

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "agent/metrics/histogram.h"
#include "buffer/ring_buffer.h"
#include "config/loader.h"

namespace sluice {

struct AgentContext {
  uv_loop_t* loop;
  RingBuffer* buffer;
  std::string hostname;  // the agent's host, for records that name none
  std::string data_dir;  // where inputs keep their checkpoints
};

class Input {
 public:
  virtual ~Input() = default;
  // Binds or opens what it reads; false with a reason when it cannot.
  virtual bool start(std::string& error) = 0;
  virtual void stop() = 0;
  // Counters by name ("received", "truncated", ...), for metrics and tests.
  virtual std::map<std::string, uint64_t> counters() const = 0;
  // Current values by name ("containers_attached"), for metrics.
  virtual std::map<std::string, double> gauges() const { return {}; }
  // Why the input cannot read now; empty while it works.
  virtual std::string problem() const { return ""; }
};

struct InputKind {
  config::ComponentSchema schema;
  std::unique_ptr<Input> (*build)(const config::Component& c, AgentContext& ctx);
};

// An output reads the buffer through its own cursor and accounts for every record it read:
// delivered, dropped with a reason, or still in flight. It settles records in the order it read
// them; settling acknowledges them in the buffer, which frees their space.
class Output {
 public:
  Output(std::string name, AgentContext& ctx);
  virtual ~Output();
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;

  const std::string& name() const { return name_; }
  // Continues where `old` (being replaced on reload) stopped: records it read but had not
  // settled are read again by this one; `old` then owns nothing in the buffer.
  void take_over_from(Output& old);
  virtual void start() = 0;
  // The buffer has records this output has not read.
  virtual void wake() = 0;
  // Ends delivery now; what is still unread or in flight is counted dropped ("shutdown").
  virtual void close() = 0;
  // Records read from the buffer that are neither delivered nor dropped yet.
  virtual uint64_t in_flight() const = 0;

  struct Stats {
    uint64_t received = 0;  // records that reached the buffer while this output existed
    uint64_t delivered = 0;
    std::map<std::string, uint64_t> dropped;  // by reason
    uint64_t unread = 0;
    uint64_t in_flight = 0;
    std::map<std::string, uint64_t> events;  // e.g. "truncated", "connection_failures", "retries"
    uint64_t failing_since_ms = 0;  // loop time when delivery started failing; 0 while it works
    std::string failure;
    metrics::Histogram latency;  // seconds from sending a request to its acknowledgement
    uint64_t dropped_total() const;
  };
  Stats stats() const;
  bool drained() const;  // nothing unread and nothing in flight

 protected:
  size_t read(size_t max_records, const std::function<void(const Record&)>& fn);
  // The sequence number of the next record read() hands over: unique within the agent's run.
  uint64_t next_read_seq() const { return ctx_.buffer->next_seq(consumer_); }
  void delivered(uint64_t n);
  void dropped(uint64_t n, std::string_view reason);
  void count(std::string_view event, uint64_t n = 1);
  // Delivery works again / does not work, and why; the first failure sets the time.
  void healthy();
  void failing(std::string why);
  void observe_latency(double seconds) { latency_.observe(seconds); }
  // Counts every unread record as dropped for `reason`, e.g. at shutdown.
  void abandon_unread(std::string_view reason);
  // Records read but not settled come again from the next reads, in order.
  void reread_unsettled();

  AgentContext& ctx_;

 private:
  std::string name_;
  RingBuffer::ConsumerId consumer_;
  bool owns_consumer_ = true;
  uint64_t delivered_ = 0;
  std::map<std::string, uint64_t, std::less<>> dropped_;
  std::map<std::string, uint64_t, std::less<>> events_;
  uint64_t failing_since_ms_ = 0;
  std::string failure_;
  metrics::Histogram latency_;
};

struct OutputKind {
  config::ComponentSchema schema;
  std::unique_ptr<Output> (*build)(const config::Component& c, AgentContext& ctx);
};

}  // namespace sluice
