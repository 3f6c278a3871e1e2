// What the packaging tests share: shell commands, files and temp dirs, and the agent's own view
// of a manifest's config (its defaults, `sluice --check`, the config it loads), so that each
// manifest is compared with the code rather than with a copy of its values.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "config/loader.h"

namespace sluice::test::packaging {

using Env = std::map<std::string, std::string>;

struct CommandResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string output;  // stdout and stderr
};
CommandResult run_shell(const std::string& command);
std::string shell_quote(const std::string& s);
bool have_command(const std::string& name);

std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);
std::string source_file(const std::string& relative);  // a file of the source tree
std::string trim(std::string_view s);
std::string dirname_of(const std::string& path);
// A JSON text that must parse (a test failure otherwise).
rapidjson::Document parse_json(const std::string& text);

// A directory under /tmp, removed with everything in it.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// `sluice --check --config FILE` with exactly these environment variables: a config passes only
// when the manifest around it provides every ${VAR} it needs.
CommandResult check_config(const std::string& binary, const std::string& file, const Env& env);
// The same for a config text, with the binary of this build.
CommandResult check_config_text(const std::string& toml, const Env& env);
// The config as the agent loads it in that environment; nothing (and the diagnostics in `error`)
// when it does not load. `where` names it in the diagnostics.
std::optional<config::Config> load_config(const std::string& toml, const std::string& where,
                                          const Env& env, std::string& error);
const config::Component* find_input(const config::Config& c, const std::string& type);

// The agent's own defaults, from its option tables.
std::string default_api_listen();
std::string default_data_dir();
int port_of(const std::string& host_port);  // -1 without a port
inline int default_api_port() { return port_of(default_api_listen()); }
bool listens_on_loopback_only(const std::string& host_port);

// The path all the manifests' health checks use; the .deb test GETs it from the packaged agent.
inline constexpr std::string_view kHealthPath = "/health";

}  // namespace sluice::test::packaging
