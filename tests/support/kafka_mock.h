// librdkafka's mock cluster (the real Kafka protocol over TCP on 127.0.0.1) and a consumer that
// reads a topic back, for tests.
#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <string>
#include <vector>

namespace sluice::test {

struct ConsumedMessage {
  int32_t partition;
  std::string key;
  std::string payload;
};

class KafkaMock {
 public:
  KafkaMock(int brokers, const std::string& topic, int partitions);
  ~KafkaMock();
  KafkaMock(const KafkaMock&) = delete;
  KafkaMock& operator=(const KafkaMock&) = delete;

  std::string bootstraps() const;
  void set_brokers_up(bool up);
  rd_kafka_mock_cluster_t* cluster() { return cluster_; }
  // Reads the topic from the beginning until `n` distinct payloads came (one written twice is
  // returned twice) or `timeout` passed.
  std::vector<ConsumedMessage> consume(const std::string& topic, size_t n,
                                       std::chrono::milliseconds timeout);

 private:
  rd_kafka_t* host_;  // the mock cluster lives inside a client instance
  rd_kafka_mock_cluster_t* cluster_;
  int brokers_;
};

}  // namespace sluice::test
