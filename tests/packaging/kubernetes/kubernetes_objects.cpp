#include "tests/packaging/kubernetes/kubernetes_objects.h"

#include "tests/packaging/packaging_support.h"

namespace sluice::test::packaging {

YAML::Node kubernetes_object(const std::string& kind) {
  for (const auto& doc : YAML::LoadAll(source_file("packaging/kubernetes/daemonset.yaml"))) {
    if (scalar(doc, {"kind"}) == kind) return doc;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

std::string scalar(const YAML::Node& n, std::initializer_list<const char*> keys) {
  YAML::Node at = n;
  for (const char* key : keys) {
    if (!at || !at.IsMap()) return "";
    const YAML::Node child = static_cast<const YAML::Node&>(at)[key];  // const: no insertion
    if (!child) return "";
    at.reset(child);  // rebinds; `at = child` would assign into the document
  }
  return at && at.IsScalar() ? at.Scalar() : "";
}

}  // namespace sluice::test::packaging
