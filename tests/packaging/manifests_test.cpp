// The deployment manifests point at what the code serves: the health path, the API port,
// config keys that --check accepts. Read here so that they cannot drift.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <sstream>

#include "agent/agent.h"
#include "config/core_options.h"
#include "tests/support/paths.h"

namespace sluice {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(test::source_dir() + "/" + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The API port the agent listens on by default, from its own option table.
int default_api_port() {
  for (const auto& o : config::api_options()) {
    if (o.key == "listen")
      return std::stoi(std::string(o.default_value.substr(o.default_value.rfind(':') + 1)));
  }
  return -1;
}

void expect_valid_config(const std::string& toml, const std::string& where) {
  config::Diagnostics diag;
  auto c = config::load_config(toml, where, catalog(), config::getenv_lookup, diag);
  EXPECT_TRUE(c) << (diag.list().empty() ? "" : diag.list().front().str());
}

TEST(Manifests, MarathonAppIsOnePerHostWithAHealthCheckOnTheApi) {
  rapidjson::Document d;
  d.Parse(read("packaging/marathon/sluice.json").c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_STREQ(d["constraints"][0][0].GetString(), "hostname");
  EXPECT_STREQ(d["constraints"][0][1].GetString(), "UNIQUE");
  EXPECT_STREQ(d["healthChecks"][0]["path"].GetString(), "/health");
  EXPECT_EQ(d["healthChecks"][0]["port"].GetInt(), default_api_port());
  bool docker_socket = false;
  for (const auto& v : d["container"]["volumes"].GetArray()) {
    docker_socket |= std::string(v["hostPath"].GetString()) == "/var/run/docker.sock";
  }
  EXPECT_TRUE(docker_socket);
  EXPECT_STREQ(d["labels"]["sluice.exclude"].GetString(), "true");  // it does not ship its own logs
}

TEST(Manifests, DaemonSetProbesHealthRunsEverywhereAndItsConfigIsValid) {
  const std::string yaml = read("packaging/kubernetes/daemonset.yaml");
  EXPECT_NE(yaml.find("livenessProbe:\n            httpGet:\n              path: /health\n         "
                      "     port: " +
                      std::to_string(default_api_port())),
            std::string::npos);
  EXPECT_NE(yaml.find("tolerations:\n        - operator: Exists"), std::string::npos);
  EXPECT_NE(yaml.find("path: /var/run/docker.sock"), std::string::npos);
  EXPECT_NE(yaml.find("resources:\n            requests:"), std::string::npos);
  // The ConfigMap's sluice.toml: the block indented under "sluice.toml: |".
  std::istringstream in(yaml.substr(yaml.find("sluice.toml: |") + 15));
  std::string toml, line;
  while (std::getline(in, line) && line.rfind("    ", 0) == 0) toml += line.substr(4) + "\n";
  ASSERT_FALSE(toml.empty());
  expect_valid_config(toml, "daemonset.yaml");
}

TEST(Manifests, DockerfileBuildsInOneStageAndRunsUnprivilegedInAnother) {
  const std::string df = read("packaging/docker/Dockerfile");
  const size_t runtime = df.find("FROM debian:bookworm-slim");
  ASSERT_NE(df.find("FROM debian:bookworm AS build"), std::string::npos);
  ASSERT_NE(runtime, std::string::npos);
  const std::string stage = df.substr(runtime);
  EXPECT_EQ(stage.find("-dev"), std::string::npos) << "no build dependencies at run time";
  EXPECT_NE(stage.find("USER sluice"), std::string::npos);
  EXPECT_NE(stage.find("EXPOSE " + std::to_string(default_api_port())), std::string::npos);
  expect_valid_config(read("packaging/docker/sluice.toml"), "docker/sluice.toml");
}

TEST(Manifests, KibanaObjectsCoverBothIndexNamesAndShowTheContainerColumns) {
  std::istringstream in(read("packaging/kibana/sluice-saved-objects.ndjson"));
  std::string line, title;
  std::vector<std::string> columns;
  while (std::getline(in, line)) {
    rapidjson::Document d;
    d.Parse(line.c_str());
    ASSERT_FALSE(d.HasParseError()) << line;
    if (std::string(d["type"].GetString()) == "index-pattern")
      title = d["attributes"]["title"].GetString();
    if (std::string(d["type"].GetString()) == "search") {
      for (const auto& c : d["attributes"]["columns"].GetArray())
        columns.emplace_back(c.GetString());
    }
  }
  EXPECT_EQ(title, "sluice-*,logs-sluice-*");
  for (const char* c : {"container.name", "marathon.app_id", "mesos.task_id"}) {
    EXPECT_NE(std::find(columns.begin(), columns.end(), c), columns.end()) << c;
  }
}

TEST(Manifests, SystemdUnitIsHardenedAndNotifiesReadiness) {
  const std::string unit = read("packaging/systemd/sluice.service");
  for (const char* line :
       {"Type=notify", "NoNewPrivileges=yes", "ProtectSystem=strict", "User=sluice",
        "StateDirectory=sluice", "ExecReload=/bin/kill -HUP $MAINPID"}) {
    EXPECT_NE(unit.find(line), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace sluice
