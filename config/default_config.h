// The config the agent runs on with --default-config: the README's first command uses it.
#pragma once

#include <string_view>

namespace sluice::config {

inline constexpr std::string_view kDefaultConfig =
    R"(# sluice's embedded default config: /dev/log-style socket under ./run, records on stdout.
[agent]
data_dir = "./run"

[buffer]
max_bytes = "64MiB"

[inputs.local]
type = "devlog"
path = "./run/dev-log"

[outputs.console]
type = "console"
)";

}  // namespace sluice::config
