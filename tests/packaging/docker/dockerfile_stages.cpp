#include "tests/packaging/docker/dockerfile_stages.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace sluice::test::packaging {

std::vector<std::string> Stage::all(const std::string& op) const {
  std::vector<std::string> out;
  for (const auto& i : instructions) {
    if (i.op == op) out.push_back(i.args);
  }
  return out;
}

std::vector<Stage> parse_dockerfile(const std::string& text) {
  std::vector<Stage> stages;
  auto add = [&](const std::string& line) {
    if (line.empty()) return;
    const size_t sp = line.find(' ');
    Instruction ins{line.substr(0, sp), sp == std::string::npos ? "" : trim(line.substr(sp))};
    std::transform(ins.op.begin(), ins.op.end(), ins.op.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    if (ins.op == "FROM") {
      Stage s;
      std::istringstream words(ins.args);
      std::string as;
      words >> s.image >> as >> s.name;
      stages.push_back(s);
    } else if (!stages.empty()) {
      stages.back().instructions.push_back(ins);
    }
  };
  std::istringstream in(text);
  std::string logical;
  for (std::string line; std::getline(in, line);) {
    const std::string t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (t.back() == '\\') {
      logical += t.substr(0, t.size() - 1) + " ";
      continue;
    }
    add(trim(logical + t));
    logical.clear();
  }
  add(trim(logical));
  return stages;
}

std::vector<Stage> image_stages() {
  return parse_dockerfile(source_file("packaging/docker/Dockerfile"));
}

std::vector<std::string> apt_installs(const Stage& s) {
  static const std::string kInstall = "apt-get install";
  std::vector<std::string> out;
  for (const auto& run : s.all("RUN")) {
    for (size_t at = run.find(kInstall); at != std::string::npos;
         at = run.find(kInstall, at + kInstall.size())) {
      std::istringstream words(run.substr(at + kInstall.size()));
      for (std::string w; words >> w && w != "&&" && w != ";";) {
        if (w[0] != '-') out.push_back(w);
      }
    }
  }
  return out;
}

Env env_of(const Stage& s) {
  Env env;
  for (const auto& e : s.all("ENV")) {
    std::istringstream words(e);
    for (std::string w; words >> w;) {
      const size_t eq = w.find('=');
      if (eq != std::string::npos) env[w.substr(0, eq)] = w.substr(eq + 1);
    }
  }
  return env;
}

}  // namespace sluice::test::packaging
