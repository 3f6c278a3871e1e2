// The peers of benchmark scenario 2, as a process of their own so that their CPU is not the
// agent's: librdkafka's mock cluster (3 brokers) or the Elasticsearch bulk test server.
// Prints the address to give the agent, then serves until stdin closes.
// Usage: sluice_bench_peer kafka|es
#include <cstdio>
#include <iostream>
#include <string>

#include "tests/support/es_server.h"
#include "tests/support/kafka_mock.h"

int main(int argc, char** argv) {
  const std::string kind = argc == 2 ? argv[1] : "";
  if (kind == "kafka") {
    sluice::test::KafkaMock kafka(3, "logs", 6);
    std::printf("%s\n", kafka.bootstraps().c_str());
    std::fflush(stdout);
    for (std::string line; std::getline(std::cin, line);) {
    }
    return 0;
  }
  if (kind == "es") {
    sluice::test::EsServer es;
    std::printf("%s\n", es.url().c_str());
    std::fflush(stdout);
    for (std::string line; std::getline(std::cin, line);) {
    }
    std::fprintf(stderr, "documents: %zu\n", es.stats().docs_per_target.size());
    return 0;
  }
  std::fprintf(stderr, "usage: sluice_bench_peer kafka|es\n");
  return 2;
}
