#include "outputs/registry.h"

#include "outputs/console/console_output.h"
#include "outputs/file/file_output.h"
#include "outputs/syslog/syslog_output.h"

namespace sluice {

const modules::KindRegistry<OutputKind>& output_kinds() {
  // librdkafka and libcurl (with what they load) are mapped only by agents that use them.
  static const modules::KindRegistry<OutputKind> kinds{
      "output", {&syslog::kind, &console::kind, &file::kind}, {"kafka", "elasticsearch"}};
  return kinds;
}

}  // namespace sluice
