#include "tests/packaging/elasticsearch/encoded_fields.h"

#include "agent/encode/ecs_json.h"
#include "agent/record.h"

namespace sluice::test::packaging {

namespace {

// The source of records from a container; Kubernetes pods are known by their labels.
SourceMeta container(std::string id, std::string name, std::string image,
                     std::vector<std::pair<std::string, std::string>> labels) {
  SourceMeta m;
  m.input = "containers";
  m.container_id = std::move(id);
  m.container_name = std::move(name);
  m.image = std::move(image);
  m.labels = std::move(labels);
  return m;
}

}  // namespace

std::vector<std::string> encoded_documents() {
  static const SourceMeta devlog = [] {
    SourceMeta m;
    m.input = "local";
    return m;
  }();
  static const SourceMeta marathon = [] {
    SourceMeta m = container("0123456789ab", "mesos-1234", "registry/shop/web:1.2",
                             {{"team", "shop"}, {"com.example.tier", "front"}});
    m.marathon_app_id = "/shop/web";
    m.mesos_task_id = "shop_web.1234";
    return m;
  }();
  static const SourceMeta k8s = container("ba9876543210", "k8s_web_web-0_default_uid_0", "web:2",
                                          {{"io.kubernetes.pod.name", "web-0"},
                                           {"io.kubernetes.pod.namespace", "default"},
                                           {"io.kubernetes.container.name", "web"}});
  std::vector<std::string> out;
  // From /dev/log: every syslog field.
  Record r;
  r.event_ns = 1'790'000'000'123'456'789;
  r.receive_ns = r.event_ns + 1000;
  r.facility = 3;
  r.severity = 6;
  r.pid = 42;
  r.hostname = "node-7";
  r.app_name = "app";
  r.procid = "42";
  r.msgid = "ID7";
  r.structured_data = "[x@32473 a=\"b\"]";
  r.message = "hello";
  r.meta = &devlog;
  encode::append_ecs_json(r, "node-7", out.emplace_back());
  // From containers: a stream and the container's fields instead.
  Record line;
  line.event_ns = r.event_ns;
  line.receive_ns = r.receive_ns;
  line.severity = 3;
  line.stream = Stream::stderr_stream;
  line.message = "a line";
  for (const SourceMeta* m : {&marathon, &k8s}) {
    line.meta = m;
    encode::append_ecs_json(line, "node-7", out.emplace_back());
  }
  return out;
}

void check_mapped(const rapidjson::Value& doc, const rapidjson::Value& props,
                  const std::string& prefix, std::set<std::string>& mapped,
                  std::vector<std::string>& problems) {
  for (const auto& m : doc.GetObject()) {
    const std::string key = m.name.GetString();
    const std::string path = prefix + key;
    if (!props.HasMember(key.c_str())) {
      problems.push_back(path + ": not mapped");
      continue;
    }
    const auto& mapping = props[key.c_str()];
    const std::string type = mapping.HasMember("type") ? mapping["type"].GetString() : "object";
    if (m.value.IsObject()) {
      if (type == "flattened") {
        mapped.insert(path);
      } else if (mapping.HasMember("properties")) {
        check_mapped(m.value, mapping["properties"], path + ".", mapped, problems);
      } else {
        problems.push_back(path + ": an object mapped as " + type);
      }
      continue;
    }
    mapped.insert(path);
    std::set<std::string> want;
    if (path == "@timestamp" || path == "event.created") {
      want = {"date_nanos", "date"};
    } else if (path == "message") {
      want = {"match_only_text", "text"};
    } else if (m.value.IsNumber()) {
      want = {"long", "integer"};
    } else {
      want = {"keyword"};
    }
    if (!want.count(type)) problems.push_back(path + ": mapped as " + type);
  }
}

}  // namespace sluice::test::packaging
