#include "config/core_options.h"

namespace sluice::config {
namespace {

constexpr std::string_view kLogLevels[] = {"error", "warn", "info", "debug"};
constexpr std::string_view kWhenFull[] = {"drop_newest", "drop_oldest"};
constexpr std::string_view kCompression[] = {"zstd", "none"};

constexpr Option kAgent[] = {
    {"hostname", Type::string, "", "Host name stamped on every record; default: gethostname()"},
    {"data_dir", Type::string, "/var/lib/sluice", "Directory for the agent's state"},
    {"shutdown_timeout", Type::duration, "5s",
     "How long SIGTERM waits for the outputs to drain the buffer"},
    {"log_level", Type::choice, "info", "Least severe level of the agent's own log lines", false,
     kLogLevels},
};

constexpr Option kBuffer[] = {
    {"max_bytes", Type::size, "64MiB", "Memory the buffer may hold, all outputs together"},
    {"when_full", Type::choice, "drop_newest",
     "Which record goes when the buffer is full: the arriving one or the oldest", false, kWhenFull},
    {"compression", Type::choice, "zstd",
     "When the buffer fills, compress what the outputs have still to read (only then)", false,
     kCompression},
};

constexpr Option kApi[] = {
    {"enabled", Type::boolean, "true", "Serve /health, /metrics, /tail and /config"},
    {"listen", Type::string, "127.0.0.1:8686",
     "HOST:PORT of the API; loopback by default, open it to the network deliberately"},
    {"health_failing_after", Type::duration, "60s",
     "/health answers 503 once an output has failed to deliver for this long"},
};

}  // namespace

std::span<const Option> api_options() { return kApi; }
std::span<const Option> agent_options() { return kAgent; }
std::span<const Option> buffer_options() { return kBuffer; }

}  // namespace sluice::config
