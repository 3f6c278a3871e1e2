#include "tests/support/kafka_mock.h"

#include <set>
#include <stdexcept>

namespace sluice::test {

KafkaMock::KafkaMock(int brokers, const std::string& topic, int partitions) : brokers_(brokers) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
  host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!host_) throw std::runtime_error(err);
  cluster_ = rd_kafka_mock_cluster_new(host_, brokers);
  rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, std::min(brokers, 3));
}

KafkaMock::~KafkaMock() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(host_);
}

std::string KafkaMock::bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }

void KafkaMock::set_brokers_up(bool up) {
  for (int id = 1; id <= brokers_; ++id) {
    if (up) {
      rd_kafka_mock_broker_set_up(cluster_, id);
    } else {
      rd_kafka_mock_broker_set_down(cluster_, id);
    }
  }
}

std::vector<ConsumedMessage> KafkaMock::consume(const std::string& topic, size_t n,
                                                std::chrono::milliseconds timeout) {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set(conf, "bootstrap.servers", bootstraps().c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "group.id", ("test-" + topic).c_str(), err, sizeof err);
  rd_kafka_conf_set(conf, "auto.offset.reset", "earliest", err, sizeof err);
  rd_kafka_conf_set(conf, "enable.auto.commit", "false", err, sizeof err);
  rd_kafka_t* c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  rd_kafka_poll_set_consumer(c);
  rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic.c_str(), RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(c, topics);
  rd_kafka_topic_partition_list_destroy(topics);
  std::vector<ConsumedMessage> out;
  std::set<std::string> distinct;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (distinct.size() < n && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(c, 100);
    if (!m) continue;
    if (!m->err) {
      out.push_back({m->partition, std::string(static_cast<const char*>(m->key), m->key_len),
                     std::string(static_cast<const char*>(m->payload), m->len)});
      distinct.insert(out.back().payload);
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_consumer_close(c);
  rd_kafka_destroy(c);
  return out;
}

}  // namespace sluice::test
