#include "inputs/docker/container_info.h"

#include <rapidjson/document.h>

#include <algorithm>

namespace sluice::docker {
namespace {

constexpr std::string_view kKubernetesLabels[] = {
    "io.kubernetes.pod.name", "io.kubernetes.pod.namespace", "io.kubernetes.container.name"};

std::string string_at(const rapidjson::Value& v, const char* key) {
  if (!v.IsObject()) return "";
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

bool allowed(const std::vector<std::string>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

}  // namespace

bool glob_match(std::string_view p, std::string_view t) {
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == t[ti])) {
      ++pi;
      ++ti;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

std::optional<ContainerInfo> parse_container(std::string_view json, const std::string& input,
                                             const Selection& sel, std::string& error) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());  // no recursion on nesting
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("Id")) {
    error = "not a container inspection";
    return std::nullopt;
  }
  ContainerInfo c;
  c.id = string_at(d, "Id");
  auto meta = std::make_shared<SourceMeta>();
  meta->input = input;
  meta->container_id = c.id;
  meta->container_name = string_at(d, "Name");
  if (!meta->container_name.empty() && meta->container_name[0] == '/')
    meta->container_name.erase(0, 1);
  static const rapidjson::Value kNull;
  const rapidjson::Value& config = d.HasMember("Config") ? d["Config"] : kNull;
  meta->image = string_at(config, "Image");
  if (config.IsObject() && config.HasMember("Tty") && config["Tty"].IsBool())
    c.tty = config["Tty"].GetBool();
  if (d.HasMember("State") && d["State"].IsObject() && d["State"].HasMember("Running") &&
      d["State"]["Running"].IsBool()) {
    c.running = d["State"]["Running"].GetBool();
  }
  bool excluded_by_label = false;
  if (config.IsObject() && config.HasMember("Labels") && config["Labels"].IsObject()) {
    for (auto& m : config["Labels"].GetObject()) {
      if (!m.value.IsString()) continue;
      const std::string_view key(m.name.GetString(), m.name.GetStringLength());
      const std::string value = m.value.GetString();
      if (key == "sluice.exclude" && value == "true") excluded_by_label = true;
      if (key == "sluice.multiline.start_pattern") c.multiline_label = value;
      const bool k8s = std::find(std::begin(kKubernetesLabels), std::end(kKubernetesLabels), key) !=
                       std::end(kKubernetesLabels);
      if (k8s || allowed(sel.label_allow, key)) meta->labels.emplace_back(std::string(key), value);
    }
  }
  bool logspout_ignore = false;
  if (config.IsObject() && config.HasMember("Env") && config["Env"].IsArray()) {
    for (auto& e : config["Env"].GetArray()) {
      if (!e.IsString()) continue;
      const std::string_view kv(e.GetString(), e.GetStringLength());
      const size_t eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      const std::string_view key = kv.substr(0, eq), value = kv.substr(eq + 1);
      if (key == "LOGSPOUT" && value == "ignore") logspout_ignore = true;
      if (key == "MARATHON_APP_ID") meta->marathon_app_id = value;
      if (key == "MESOS_TASK_ID") meta->mesos_task_id = value;
      if (allowed(sel.env_allow, key)) meta->env.emplace_back(std::string(key), std::string(value));
    }
  }
  std::sort(meta->labels.begin(), meta->labels.end());
  if (excluded_by_label) {
    c.skip_reason = "label sluice.exclude=true";
  } else if (logspout_ignore) {
    c.skip_reason = "env LOGSPOUT=ignore";
  } else if (!sel.own_container_id.empty() && c.id.rfind(sel.own_container_id, 0) == 0) {
    c.skip_reason = "the agent's own container";
  } else if (!sel.include_names.empty() &&
             std::none_of(
                 sel.include_names.begin(), sel.include_names.end(),
                 [&](const std::string& g) { return glob_match(g, meta->container_name); })) {
    c.skip_reason = "name not in include_names";
  } else if (std::any_of(
                 sel.exclude_names.begin(), sel.exclude_names.end(),
                 [&](const std::string& g) { return glob_match(g, meta->container_name); })) {
    c.skip_reason = "name in exclude_names";
  }
  meta->id = SourceMeta::fresh_id();
  c.meta = std::move(meta);
  return c;
}

}  // namespace sluice::docker
