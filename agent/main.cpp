// sluice: a per-host log shipping agent.
#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "agent/agent.h"
#include "agent/reference_config.h"
#include "config/default_config.h"
#include "inputs/registry.h"
#include "outputs/registry.h"

namespace {

constexpr const char* kUsage = R"(usage: sluice [--config FILE] [--check]
       sluice --default-config
       sluice --print-default-config | --print-reference-config | --version | --help

  --config FILE           the TOML config (default /etc/sluice/sluice.toml)
  --check                 validate the config and exit: 0 when valid, 1 with
                          FILE:LINE:COL: message lines on stderr when not
  --default-config        run on the embedded default config: a devlog socket at
                          ./run/dev-log and JSON lines on stdout
  --print-default-config  print the embedded default config
  --print-reference-config
                          print every key with its default and description
  --version               print the version

Signals: SIGTERM/SIGINT stop the inputs, drain the buffer for up to
agent.shutdown_timeout, and exit; SIGHUP reloads the config.
)";

std::string summary(const sluice::config::Config& c) {
  auto list = [](const std::vector<sluice::config::Component>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x.name + " (" + x.type + ")";
    return s;
  };
  return c.file + ": ok: " + std::to_string(c.inputs.size()) + " input(s): " + list(c.inputs) +
         "; " + std::to_string(c.outputs.size()) + " output(s): " + list(c.outputs) + "; buffer " +
         c.buffer.string("max_bytes") + " " + c.buffer.string("when_full");
}

}  // namespace

int main(int argc, char** argv) {
  // libcurl pulls in GnuTLS (through librtmp and libldap) although its TLS is OpenSSL's, and
  // GnuTLS initialises itself when loaded (p11-kit modules, about 0.7 MiB resident) unless told
  // not to; whatever does use it calls gnutls_global_init. Set before any thread or module.
  setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
  std::string path = "/etc/sluice/sluice.toml";
  bool check = false;
  bool use_default = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--config" && i + 1 < argc) {
      path = argv[++i];
    } else if (arg.rfind("--config=", 0) == 0) {
      path = arg.substr(9);
    } else if (arg == "--check") {
      check = true;
    } else if (arg == "--default-config") {
      use_default = true;
    } else if (arg == "--print-default-config") {
      std::cout << sluice::config::kDefaultConfig;
      return 0;
    } else if (arg == "--print-reference-config") {
      try {
        std::cout << sluice::reference_config();
      } catch (const std::exception& e) {
        std::cerr << "sluice: " << e.what() << "\n";
        return 1;
      }
      return 0;
    } else if (arg == "--version") {
      std::cout << "sluice " << SLUICE_VERSION << "\n";
      return 0;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      std::cerr << "sluice: unknown argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  sluice::config::Diagnostics diag;
  std::optional<sluice::config::Config> config;
  if (use_default) {
    mkdir("./run", 0755);
    config = sluice::config::load_config(sluice::config::kDefaultConfig, "<default>",
                                         sluice::catalog(), sluice::config::getenv_lookup, diag);
    path.clear();
  } else {
    config = sluice::config::load_config_file(path, sluice::catalog(),
                                              sluice::config::getenv_lookup, diag);
  }
  if (!config) {
    for (const auto& d : diag.list()) std::cerr << d.str() << "\n";
    return 1;
  }
  if (check) {
    std::cout << summary(*config) << "\n";
    return 0;
  }
  sluice::Agent agent(std::move(*config), path);
  return agent.run();
}
