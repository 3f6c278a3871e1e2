// packaging/kubernetes/daemonset.yaml: a pod on every node, probed on the health path, whose
// ConfigMap config is valid with the pod's env and uses only host paths the pod mounts.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/packaging/kubernetes/kubernetes_objects.h"
#include "tests/packaging/packaging_support.h"

namespace sluice::test::packaging {
namespace {

TEST(PackagingKubernetes, DaemonSetRunsOnEveryNodeProbesHealthAndItsConfigMapIsValid) {
  const YAML::Node cm = kubernetes_object("ConfigMap");
  const YAML::Node ds = kubernetes_object("DaemonSet");
  ASSERT_TRUE(cm);
  ASSERT_TRUE(ds);
  EXPECT_EQ(scalar(ds, {"apiVersion"}), "apps/v1");
  const YAML::Node pod = ds["spec"]["template"]["spec"];
  const YAML::Node ctr = pod["containers"][0];
  ASSERT_TRUE(ctr);

  // Every node: one toleration that matches every taint (no key, no effect).
  bool tolerates_all = false;
  for (const auto& t : pod["tolerations"]) {
    tolerates_all |= scalar(t, {"operator"}) == "Exists" && scalar(t, {"key"}).empty() &&
                     scalar(t, {"effect"}).empty();
  }
  EXPECT_TRUE(tolerates_all);

  // Liveness on the health path and the API port.
  EXPECT_EQ(scalar(ctr, {"livenessProbe", "httpGet", "path"}), kHealthPath);
  const std::string port = scalar(ctr, {"livenessProbe", "httpGet", "port"});
  EXPECT_EQ(port, std::to_string(default_api_port()));
  EXPECT_EQ(scalar(ctr["ports"][0], {"containerPort"}), port);

  for (const char* kind : {"requests", "limits"}) {
    for (const char* r : {"cpu", "memory"})
      EXPECT_FALSE(scalar(ctr, {"resources", kind, r}).empty()) << kind << "." << r;
  }

  // Volumes: name -> host path or ConfigMap; mounts: path in the container -> volume name.
  std::map<std::string, std::string> host_paths, host_types, config_maps, mounts;
  for (const auto& v : pod["volumes"]) {
    const std::string name = scalar(v, {"name"});
    if (const auto host = v["hostPath"]) {
      host_paths[name] = scalar(host, {"path"});
      host_types[name] = scalar(host, {"type"});
    }
    if (const auto map = v["configMap"]) config_maps[name] = scalar(map, {"name"});
  }
  for (const auto& m : ctr["volumeMounts"]) mounts[scalar(m, {"mountPath"})] = scalar(m, {"name"});

  // The config: the ConfigMap's file where --config points, valid with the container's env (a
  // value from a field or a secret stands in as "from-NAME"), and also without the values of
  // optional secrets, which Kubernetes leaves unset when the secret does not exist.
  ASSERT_EQ(scalar(ctr["args"][0]), "--config");
  const std::string config_path = scalar(ctr["args"][1]);
  const std::string config_volume = mounts[dirname_of(config_path)];
  EXPECT_EQ(config_maps[config_volume], scalar(cm, {"metadata", "name"}));
  EXPECT_EQ(scalar(cm, {"metadata", "namespace"}), scalar(ds, {"metadata", "namespace"}));
  const std::string toml =
      scalar(cm, {"data", std::filesystem::path(config_path).filename().c_str()});
  ASSERT_FALSE(toml.empty());
  Env env, without_optional;
  for (const auto& e : ctr["env"]) {
    const std::string name = scalar(e, {"name"});
    env[name] = e["value"] ? scalar(e, {"value"}) : "from-" + name;
    if (scalar(e, {"valueFrom", "secretKeyRef", "optional"}) != "true")
      without_optional[name] = env[name];
  }
  for (const Env* e : {&env, &without_optional}) {
    auto checked = check_config_text(toml, *e);
    EXPECT_EQ(checked.exit_code, 0) << checked.output << toml;
  }

  std::string error;
  auto c = load_config(toml, "daemonset.yaml", env, error);
  ASSERT_TRUE(c) << error;
  // The kubelet probes the pod's IP: the API must not listen on loopback only.
  const std::string listen = c->api.string("listen");
  EXPECT_EQ(std::to_string(port_of(listen)), port);
  EXPECT_FALSE(listens_on_loopback_only(listen)) << listen;

  // Every host path the config uses is a hostPath mount at the same place.
  const auto* docker_input = find_input(*c, "docker");
  ASSERT_NE(docker_input, nullptr);
  const std::string socket = docker_input->options.string("socket");
  EXPECT_EQ(host_paths[mounts[socket]], "/var/run/docker.sock");
  EXPECT_EQ(host_types[mounts[socket]], "Socket") << "else the kubelet makes a directory there";
  const auto* devlog = find_input(*c, "devlog");
  ASSERT_NE(devlog, nullptr);
  const std::string devlog_dir = dirname_of(devlog->options.string("path"));
  EXPECT_EQ(host_paths[mounts[devlog_dir]], devlog_dir);
  const std::string data_dir = c->agent.string("data_dir");
  EXPECT_EQ(host_paths[mounts[data_dir]], data_dir);
  EXPECT_EQ(scalar(ctr["securityContext"]["capabilities"]["drop"][0]), "ALL");
}

}  // namespace
}  // namespace sluice::test::packaging
