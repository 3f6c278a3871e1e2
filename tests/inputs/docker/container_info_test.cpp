#include "inputs/docker/container_info.h"

#include <gtest/gtest.h>

namespace sluice::docker {
namespace {

// Trimmed from a real podman 4.3 /containers/{id}/json answer.
constexpr std::string_view kInspect = R"({
  "Id": "4f2a0c1d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f",
  "Name": "/web-1",
  "State": {"Running": true, "Status": "running"},
  "Config": {
    "Tty": false,
    "Image": "local/busybox:latest",
    "Env": ["PATH=/bin", "MARATHON_APP_ID=/shop/web", "MESOS_TASK_ID=shop_web.123",
            "MARATHON_APP_VERSION=2026-11-24T21:00:00Z", "SECRET=hunter2", "BROKEN"],
    "Labels": {"team": "shop", "io.kubernetes.pod.name": "web-abc",
               "io.kubernetes.pod.namespace": "prod", "internal": "x"}
  }
})";

Selection defaults() {
  Selection s;
  s.label_allow = {"team"};
  s.env_allow = {"MARATHON_APP_ID", "MARATHON_APP_VERSION", "MESOS_TASK_ID", "MESOS_EXECUTOR_ID"};
  return s;
}

TEST(ContainerInfo, ReadsMetadataWithAllowLists) {
  std::string error;
  auto c = parse_container(kInspect, "docker", defaults(), error);
  ASSERT_TRUE(c) << error;
  EXPECT_EQ(c->id.substr(0, 12), "4f2a0c1d9e8b");
  EXPECT_TRUE(c->running);
  EXPECT_FALSE(c->tty);
  EXPECT_EQ(c->skip_reason, "");
  const SourceMeta& m = *c->meta;
  EXPECT_EQ(m.input, "docker");
  EXPECT_EQ(m.container_name, "web-1");  // no leading slash
  EXPECT_EQ(m.image, "local/busybox:latest");
  EXPECT_EQ(m.marathon_app_id, "/shop/web");
  EXPECT_EQ(m.mesos_task_id, "shop_web.123");
  using KV = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(m.labels, (KV{{"io.kubernetes.pod.name", "web-abc"},
                          {"io.kubernetes.pod.namespace", "prod"},
                          {"team", "shop"}}));
  EXPECT_EQ(m.env, (KV{{"MARATHON_APP_ID", "/shop/web"},
                       {"MESOS_TASK_ID", "shop_web.123"},
                       {"MARATHON_APP_VERSION", "2026-11-24T21:00:00Z"}}));
}

TEST(ContainerInfo, SelectionRules) {
  std::string error;
  auto with = [&](std::string json, Selection s) {
    auto c = parse_container(json, "docker", s, error);
    EXPECT_TRUE(c) << error;
    return c ? c->skip_reason : "parse failed";
  };
  std::string excluded(kInspect);
  excluded.replace(excluded.find("\"team\": \"shop\""), 14, "\"sluice.exclude\": \"true\"");
  EXPECT_EQ(with(excluded, defaults()), "label sluice.exclude=true");
  std::string logspout(kInspect);
  logspout.replace(logspout.find("\"BROKEN\""), 8, "\"LOGSPOUT=ignore\"");
  EXPECT_EQ(with(logspout, defaults()), "env LOGSPOUT=ignore");
  Selection own = defaults();
  own.own_container_id = "4f2a0c1d9e8b";
  EXPECT_EQ(with(std::string(kInspect), own), "the agent's own container");
  Selection include = defaults();
  include.include_names = {"api-*", "db"};
  EXPECT_EQ(with(std::string(kInspect), include), "name not in include_names");
  include.include_names = {"web-?"};
  EXPECT_EQ(with(std::string(kInspect), include), "");
  Selection exclude = defaults();
  exclude.exclude_names = {"*-1"};
  EXPECT_EQ(with(std::string(kInspect), exclude), "name in exclude_names");
}

TEST(ContainerInfo, RejectsWhatIsNotAContainer) {
  std::string error;
  EXPECT_FALSE(parse_container("{\"message\":\"no such container\"}", "d", defaults(), error));
  EXPECT_FALSE(parse_container("not json", "d", defaults(), error));
  EXPECT_FALSE(error.empty());
}

TEST(Glob, StarsAndQuestionMarks) {
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("web-*", "web-1"));
  EXPECT_TRUE(glob_match("*web*", "my-web-app"));
  EXPECT_TRUE(glob_match("w?b", "web"));
  EXPECT_FALSE(glob_match("web-*", "api-1"));
  EXPECT_FALSE(glob_match("w?b", "wb"));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
}

}  // namespace
}  // namespace sluice::docker
