// packaging/marathon/sluice.json: one task per Mesos agent host, running the container image on
// its own config, health-checked on the agent's API.
#include <gtest/gtest.h>

#include "tests/packaging/docker/dockerfile_stages.h"

namespace sluice::test::packaging {
namespace {

TEST(PackagingMarathon, OneInstancePerAgentHostWithAHealthCheckOnTheApi) {
  const auto d = parse_json(source_file("packaging/marathon/sluice.json"));
  ASSERT_TRUE(d.IsObject());

  bool unique_host = false;
  for (const auto& c : d["constraints"].GetArray()) {
    unique_host |= c.Size() == 2 && std::string(c[0].GetString()) == "hostname" &&
                   std::string(c[1].GetString()) == "UNIQUE";
  }
  EXPECT_TRUE(unique_host);
  EXPECT_GE(d["instances"].GetInt(), 1);
  // With one task per host, a new task can only start where an old one has stopped.
  EXPECT_EQ(d["upgradeStrategy"]["maximumOverCapacity"].GetDouble(), 0.0);
  EXPECT_EQ(d["upgradeStrategy"]["minimumHealthCapacity"].GetDouble(), 0.0);
  EXPECT_GT(d["cpus"].GetDouble(), 0.0);
  EXPECT_GE(d["mem"].GetDouble(), 128.0);

  const auto& docker = d["container"]["docker"];
  EXPECT_STREQ(docker["network"].GetString(), "HOST");
  std::map<std::string, std::string> params;
  for (const auto& p : docker["parameters"].GetArray())
    params[p["key"].GetString()] += p["value"].GetString();
  // The docker input skips containers labelled so: the agent does not ship its own output.
  // (Marathon's own "labels" are not container labels.)
  EXPECT_EQ(params["label"], "sluice.exclude=true");
  EXPECT_EQ(params["cap-drop"], "ALL");

  std::map<std::string, std::string> mounts;  // container path -> host path
  for (const auto& v : d["container"]["volumes"].GetArray())
    mounts[v["containerPath"].GetString()] = v["hostPath"].GetString();

  // The health check: the health path, on the port of the API address the config gets.
  ASSERT_TRUE(d["healthChecks"].IsArray() && d["healthChecks"].Size() == 1);
  const auto& hc = d["healthChecks"][0];
  EXPECT_EQ(std::string(hc["path"].GetString()), kHealthPath);
  const int port = hc["port"].GetInt();
  EXPECT_EQ(port, default_api_port());

  // The config is the image's, filled from the app's env: it passes --check with exactly the
  // image's and the app's variables.
  const auto stages = image_stages();
  ASSERT_FALSE(stages.empty());
  Env env = env_of(stages.back());
  for (const auto& m : d["env"].GetObject()) env[m.name.GetString()] = m.value.GetString();
  const std::string toml = source_file("packaging/docker/sluice.toml");
  auto checked = check_config_text(toml, env);
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  ASSERT_EQ(d["args"].Size(), 2u);
  EXPECT_STREQ(d["args"][0].GetString(), "--config");
  EXPECT_STREQ(d["args"][1].GetString(), "/etc/sluice/sluice.toml");

  std::string error;
  auto c = load_config(toml, "docker/sluice.toml", env, error);
  ASSERT_TRUE(c) << error;
  const std::string listen = c->api.string("listen");
  EXPECT_EQ(port_of(listen), port);
  // Mesos runs MESOS_HTTP checks inside the task's network namespace, on 127.0.0.1; only a
  // Marathon-side HTTP check would need the API open to the network.
  if (listens_on_loopback_only(listen)) {
    EXPECT_STREQ(hc["protocol"].GetString(), "MESOS_HTTP");
  }

  // Every path the config uses on the host is mounted from the host.
  const auto* docker_input = find_input(*c, "docker");
  ASSERT_NE(docker_input, nullptr);
  EXPECT_EQ(mounts[docker_input->options.string("socket")], "/var/run/docker.sock");
  const auto* devlog = find_input(*c, "devlog");
  ASSERT_NE(devlog, nullptr);
  const std::string devlog_dir = dirname_of(devlog->options.string("path"));
  EXPECT_EQ(mounts[devlog_dir], devlog_dir) << "the devlog socket's directory";
  const std::string data_dir = c->agent.string("data_dir");
  EXPECT_EQ(mounts[data_dir], data_dir) << "data_dir";
}

}  // namespace
}  // namespace sluice::test::packaging
