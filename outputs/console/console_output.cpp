#include "outputs/console/console_output.h"

#include <unistd.h>

#include "outputs/file/json_lines_output.h"

namespace sluice::console {

const OutputKind kind{
    {"console", "JSON lines with ECS fields on standard output", {}, nullptr},
    [](const config::Component& c, AgentContext& ctx) -> std::unique_ptr<Output> {
      return std::make_unique<file::JsonLinesOutput>(c.name, ctx, STDOUT_FILENO, false);
    },
};

}  // namespace sluice::console
