#include "outputs/file/file_output.h"

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "outputs/file/json_lines_output.h"

namespace sluice::file {
namespace {

constexpr config::Option kOptions[] = {
    {"path", config::Type::string, "", "File the JSON lines are appended to", true},
};

std::unique_ptr<Output> build(const config::Component& c, AgentContext& ctx) {
  const std::string& path = c.options.string("path");
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0)
    throw std::runtime_error("[outputs." + c.name + "] " + path + ": " + std::strerror(errno));
  return std::make_unique<JsonLinesOutput>(c.name, ctx, fd, true);
}

}  // namespace

const OutputKind kind{
    {"file", "JSON lines with ECS fields appended to a file", kOptions, nullptr},
    build,
};

}  // namespace sluice::file
