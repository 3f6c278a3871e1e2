// What the agent needs of a container, from GET /containers/{id}/json: its metadata (shared by
// all its records) and whether its logs are to be collected.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/record.h"

namespace sluice::docker {

struct Selection {
  std::vector<std::string> label_allow;    // labels copied to records (the Kubernetes ones always)
  std::vector<std::string> env_allow;      // env keys copied to records
  std::vector<std::string> include_names;  // name globs; empty: every container
  std::vector<std::string> exclude_names;
  std::string own_container_id;  // the agent's own container, never followed
};

struct ContainerInfo {
  std::string id;
  bool tty = false;
  bool running = false;
  std::string skip_reason;      // non-empty: not followed, and why
  std::string multiline_label;  // label sluice.multiline.start_pattern, if set
  std::shared_ptr<SourceMeta> meta;
};

// Nothing when the JSON is not a container inspection; `error` says why.
std::optional<ContainerInfo> parse_container(std::string_view json, const std::string& input,
                                             const Selection& selection, std::string& error);

// Shell-style glob with * and ?.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace sluice::docker
