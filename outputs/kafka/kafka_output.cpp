#include "outputs/kafka/kafka_output.h"

#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <deque>
#include <stdexcept>

#include "agent/encode/ecs_json.h"
#include "agent/log.h"
#include "agent/modules/module_loader.h"
#include "agent/uv_handle.h"
#include "outputs/kafka/record_key.h"

namespace sluice::kafka {
namespace {

constexpr std::string_view kFormats[] = {"json", "raw"};
constexpr std::string_view kCompressions[] = {"zstd", "lz4", "gzip", "snappy", "none"};
constexpr std::string_view kAcks[] = {"all", "1", "0"};
constexpr std::string_view kKeys[] = {"auto", "marathon.app_id", "container.name", "host.name",
                                      "none"};

const config::Option kOptions[] = {
    {"brokers", config::Type::strings, "", "Bootstrap brokers, HOST:PORT each", true},
    {"topic", config::Type::string, "", "Topic the records are produced to", true},
    {"key", config::Type::choice, "auto",
     "Message key (and so partition): auto is the Marathon app id, else the container name, else "
     "the host",
     false, kKeys},
    {"format", config::Type::choice, "json", "json: ECS document; raw: the message bytes only",
     false, kFormats},
    {"compression", config::Type::choice, "zstd", "Batch compression", false, kCompressions},
    {"acks", config::Type::choice, "all", "Broker acknowledgements a delivery needs", false, kAcks},
    {"max_in_flight", config::Type::integer, "50000",
     "Records produced but not yet reported before reading pauses"},
    {"librdkafka", config::Type::map, "",
     "Any other librdkafka producer property (SASL, SSL, linger.ms, batch.size, ...)"},
};

// librdkafka settings from the options; throws with librdkafka's message for a bad property.
rd_kafka_conf_t* make_conf(const config::Options& o) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char err[512];
  auto set = [&](const std::string& k, const std::string& v) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw std::invalid_argument(k + ": " + err);
    }
  };
  std::string brokers;
  for (const auto& b : o.strings("brokers")) brokers += (brokers.empty() ? "" : ",") + b;
  set("bootstrap.servers", brokers);
  set("compression.type", o.string("compression"));
  set("acks", o.string("acks") == "all" ? "-1" : o.string("acks"));
  if (o.string("acks") == "all") set("enable.idempotence", "true");
  for (const auto& [k, v] : o.map("librdkafka")) set(k, v);
  return conf;
}

void validate(const config::Options& o, config::Diagnostics& diag) {
  try {
    rd_kafka_conf_destroy(make_conf(o));
  } catch (const std::invalid_argument& e) {
    diag.error(o.position("librdkafka"), o.path() + ".librdkafka: " + e.what());
  }
  if (o.strings("brokers").empty())
    diag.error(o.position("brokers"), o.path() + ".brokers is empty");
  if (o.integer("max_in_flight") < 1) {
    diag.error(o.position("max_in_flight"), o.path() + ".max_in_flight must be at least 1");
  }
}

class KafkaOutput final : public Output {
 public:
  KafkaOutput(const config::Component& c, AgentContext& ctx)
      : Output(c.name, ctx),
        topic_name_(c.options.string("topic")),
        raw_(c.options.string("format") == "raw"),
        max_in_flight_(static_cast<uint64_t>(c.options.integer("max_in_flight"))) {
    parse_key_field(c.options.string("key"), key_);
    rd_kafka_conf_t* conf = make_conf(c.options);
    rd_kafka_conf_set_opaque(conf, this);
    rd_kafka_conf_set_dr_msg_cb(conf, [](rd_kafka_t* rk, const rd_kafka_message_t* m, void*) {
      static_cast<KafkaOutput*>(rd_kafka_opaque(rk))->on_delivery(*m);
    });
    // librdkafka's statistics tell the bytes on the wire against the bytes of the messages:
    // what compression saves, visible in /metrics.
    rd_kafka_conf_set(conf, "statistics.interval.ms", "1000", err_, sizeof err_);
    rd_kafka_conf_set_stats_cb(conf, [](rd_kafka_t* rk, char* json, size_t len, void*) {
      static_cast<KafkaOutput*>(rd_kafka_opaque(rk))->on_stats(std::string_view(json, len));
      return 0;
    });
    rd_kafka_conf_set_error_cb(conf, [](rd_kafka_t* rk, int err, const char* reason, void*) {
      static_cast<KafkaOutput*>(rd_kafka_opaque(rk))->on_error(err, reason);
    });
    // librdkafka's own log lines become the agent's, on the loop thread (log.queue: served by
    // rd_kafka_poll), rather than raw lines on stderr. Errors come through error_cb already.
    rd_kafka_conf_set(conf, "log.queue", "true", err_, sizeof err_);
    rd_kafka_conf_set_log_cb(
        conf, [](const rd_kafka_t* rk, int level, const char* fac, const char* line) {
          const std::string& name = static_cast<KafkaOutput*>(rd_kafka_opaque(rk))->name();
          if (level == 4) {
            log::limited(log::Level::warn, name, fac, line);
          } else if (level == 5 || level == 6) {
            log::info(name, line);
          } else {
            log::debug(name, line);
          }
        });
    char err[512];
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (!rk_) throw std::runtime_error("[outputs." + c.name + "] " + err);
    rd_kafka_set_log_queue(rk_, nullptr);  // the main queue, which the loop polls
    topic_ = rd_kafka_topic_new(rk_, topic_name_.c_str(), nullptr);
    // librdkafka writes to this pipe whenever its main queue (delivery reports, errors) has
    // events: the loop polls it instead of a busy rd_kafka_poll.
    if (pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    rd_kafka_queue_t* main_queue = rd_kafka_queue_get_main(rk_);
    rd_kafka_queue_io_event_enable(main_queue, wake_[1], "1", 1);
    rd_kafka_queue_destroy(main_queue);
    poll_ = new uv_poll_t;
    uv_poll_init(ctx.loop, poll_, wake_[0]);
    poll_->data = this;
  }

  ~KafkaOutput() override {
    if (poll_) uv_poll_stop(poll_);
    close_handle(poll_);
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_, 0);
    rd_kafka_topic_destroy(topic_);
    rd_kafka_destroy(rk_);
    ::close(wake_[0]);
    ::close(wake_[1]);
  }

  void start() override {
    uv_poll_start(poll_, UV_READABLE, [](uv_poll_t* p, int, int) {
      auto* self = static_cast<KafkaOutput*>(p->data);
      char buf[256];
      while (::read(self->wake_[0], buf, sizeof buf) > 0) {
      }
      rd_kafka_poll(self->rk_, 0);  // delivery reports call on_delivery here, on the loop
      self->wake();
    });
    // librdkafka signals the pipe when an event arrives, but events of its first moments
    // (a broker refusing, log lines) came before the pipe was set: serve those now, or they
    // and everything queued behind them would wait for an unrelated wake-up.
    rd_kafka_poll(rk_, 0);
    wake();
  }

  void wake() override {
    if (closing_ || waking_) return;
    waking_ = true;
    while (held_.empty() || produce_held()) {
      const uint64_t room = max_in_flight_ > in_flight() ? max_in_flight_ - in_flight() : 0;
      if (room == 0) break;
      const size_t n = read(std::min<uint64_t>(room, 512), [&](const Record& r) {
        Message m;
        if (raw_) {
          m.payload.assign(r.message);
        } else {
          encode::append_ecs_json(r, ctx_.hostname, m.payload);
        }
        m.key.assign(record_key(r, key_, ctx_.hostname));
        held_.push_back(std::move(m));
      });
      if (n == 0 || !produce_held()) break;
    }
    waking_ = false;
  }

  void close() override {
    closing_ = true;
    dropped(held_.size(), "shutdown");
    held_.clear();
    // What librdkafka still holds is reported back as purged, and counted below.
    rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(rk_, 0);
    abandon_unread("shutdown");
  }

  uint64_t in_flight() const override { return produced_ - reported_ + held_.size(); }

 private:
  struct Message {
    std::string payload;
    std::string key;
  };

  // Hands held messages to librdkafka; false when its queue is full (they stay held).
  bool produce_held() {
    while (!held_.empty()) {
      Message& m = held_.front();
      void* sent_at = reinterpret_cast<void*>(static_cast<uintptr_t>(uv_now(ctx_.loop)));
      if (rd_kafka_produce(topic_, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, m.payload.data(),
                           m.payload.size(), m.key.empty() ? nullptr : m.key.data(), m.key.size(),
                           sent_at) != 0) {
        const rd_kafka_resp_err_t err = rd_kafka_last_error();
        if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) return false;  // backpressure, not loss
        dropped(1, std::string("kafka:") + rd_kafka_err2name(err));
        log::limited(log::Level::warn, name(), "produce", rd_kafka_err2str(err));
      } else {
        ++produced_;
      }
      held_.pop_front();
    }
    return true;
  }

  void on_delivery(const rd_kafka_message_t& m) {
    ++reported_;
    if (m.err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const auto sent_at = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(m._private));
      observe_latency(static_cast<double>(uv_now(ctx_.loop) - sent_at) / 1000.0);
      delivered(1);
      healthy();
      return;
    }
    const bool purged =
        m.err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m.err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
    dropped(1, purged ? std::string("shutdown") : std::string("kafka:") + rd_kafka_err2name(m.err));
    if (!purged) {
      log::limited(log::Level::warn, name(), rd_kafka_err2name(m.err),
                   std::string("record dropped: ") + rd_kafka_err2str(m.err));
    }
  }

  void on_stats(std::string_view json) {
    rapidjson::Document d;
    d.Parse(json.data(), json.size());
    if (d.HasParseError() || !d.IsObject()) return;
    auto total = [&](const char* key) -> uint64_t {
      return d.HasMember(key) && d[key].IsUint64() ? d[key].GetUint64() : 0;
    };
    const uint64_t wire = total("tx_bytes"), messages = total("txmsg_bytes");
    count("wire_bytes", wire - std::min(wire, wire_bytes_));
    count("message_bytes", messages - std::min(messages, message_bytes_));
    wire_bytes_ = std::max(wire, wire_bytes_);
    message_bytes_ = std::max(messages, message_bytes_);
  }

  void on_error(int err, const char* reason) {
    count("errors");
    failing(reason);
    log::limited(log::Level::warn, name(), rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)),
                 reason);
  }

  std::string topic_name_;
  bool raw_;
  uint64_t max_in_flight_;
  KeyField key_ = KeyField::automatic;
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_topic_t* topic_ = nullptr;
  int wake_[2] = {-1, -1};
  uv_poll_t* poll_ = nullptr;
  std::deque<Message> held_;  // read from the buffer, not yet accepted by librdkafka
  uint64_t produced_ = 0;
  uint64_t reported_ = 0;
  bool closing_ = false;
  bool waking_ = false;
  char err_[512];
  uint64_t wire_bytes_ = 0, message_bytes_ = 0;
};

}  // namespace

const OutputKind kind{
    {"kafka", "Kafka topics through librdkafka (zstd, acks=all, idempotent)", kOptions, validate},
    [](const config::Component& c, AgentContext& ctx) -> std::unique_ptr<Output> {
      return std::make_unique<KafkaOutput>(c, ctx);
    },
};

}  // namespace sluice::kafka

SLUICE_MODULE_ENTRY(output, kafka, sluice::kafka::kind)
