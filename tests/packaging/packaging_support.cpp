#include "tests/packaging/packaging_support.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agent/agent.h"
#include "config/core_options.h"
#include "tests/support/paths.h"

namespace sluice::test::packaging {

CommandResult run_shell(const std::string& command) {
  CommandResult r;
  FILE* p = popen(("(" + command + ") 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

bool have_command(const std::string& name) {
  return run_shell("command -v " + shell_quote(name)).exit_code == 0;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

std::string source_file(const std::string& relative) {
  return read_text(source_dir() + "/" + relative);
}

std::string trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string dirname_of(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  EXPECT_FALSE(d.HasParseError()) << "offset " << d.GetErrorOffset() << ": " << text.substr(0, 200);
  return d;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/sluice-packaging-XXXXXX";
  if (const char* p = mkdtemp(tmpl)) path_ = p;
  EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

CommandResult check_config(const std::string& binary, const std::string& file, const Env& env) {
  std::string cmd = "env -i";
  for (const auto& [k, v] : env) cmd += " " + shell_quote(k + "=" + v);
  return run_shell(cmd + " " + shell_quote(binary) + " --check --config " + shell_quote(file));
}

CommandResult check_config_text(const std::string& toml, const Env& env) {
  TempDir dir;
  write_text(dir.path() + "/sluice.toml", toml);
  return check_config(sluice_binary(), dir.path() + "/sluice.toml", env);
}

std::optional<config::Config> load_config(const std::string& toml, const std::string& where,
                                          const Env& env, std::string& error) {
  config::Diagnostics diag;
  auto lookup = [&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  auto c = config::load_config(toml, where, catalog(), lookup, diag);
  for (const auto& d : diag.list()) error += d.str() + "\n";
  return c;
}

const config::Component* find_input(const config::Config& c, const std::string& type) {
  for (const auto& i : c.inputs) {
    if (i.type == type) return &i;
  }
  return nullptr;
}

namespace {

std::string default_of(std::span<const config::Option> table, std::string_view key) {
  for (const auto& o : table) {
    if (o.key == key) return std::string(o.default_value);
  }
  ADD_FAILURE() << key << " is not in the option table";
  return "";
}

}  // namespace

std::string default_api_listen() { return default_of(config::api_options(), "listen"); }
std::string default_data_dir() { return default_of(config::agent_options(), "data_dir"); }

int port_of(const std::string& host_port) {
  const size_t colon = host_port.rfind(':');
  if (colon == std::string::npos) return -1;
  return std::atoi(host_port.c_str() + colon + 1);
}

bool listens_on_loopback_only(const std::string& host_port) {
  const std::string host = host_port.substr(0, host_port.rfind(':'));
  return host.rfind("127.", 0) == 0 || host == "localhost" || host == "[::1]";
}

}  // namespace sluice::test::packaging
