// The objects of packaging/kubernetes/daemonset.yaml, read with yaml-cpp.
#pragma once

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>

namespace sluice::test::packaging {

// The object of that kind (ConfigMap, DaemonSet); an undefined node when there is none.
YAML::Node kubernetes_object(const std::string& kind);
// The scalar at a path of keys below `n`, as text; empty where a key is missing or the node is
// not a scalar. (yaml-cpp throws on n["a"]["b"] when "a" is missing.)
std::string scalar(const YAML::Node& n, std::initializer_list<const char*> keys = {});

}  // namespace sluice::test::packaging
