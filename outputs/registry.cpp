#include "outputs/registry.h"

#include "outputs/console/console_output.h"
#include "outputs/elasticsearch/es_output.h"
#include "outputs/file/file_output.h"
#include "outputs/kafka/kafka_output.h"
#include "outputs/syslog/syslog_output.h"

namespace sluice {

std::span<const OutputKind* const> output_kinds() {
  static const OutputKind* const kinds[] = {&syslog::kind, &kafka::kind, &elasticsearch::kind, &console::kind, &file::kind};
  return kinds;
}

}  // namespace sluice
