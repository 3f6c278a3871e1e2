// packaging/docker/Dockerfile as stages of instructions, for the tests of the image and of the
// manifests that run it (their config gets the runtime stage's ENV).
#pragma once

#include <string>
#include <vector>

#include "tests/packaging/packaging_support.h"

namespace sluice::test::packaging {

struct Instruction {
  std::string op;  // upper case
  std::string args;
};

struct Stage {
  std::string image, name;  // FROM IMAGE [AS NAME]
  std::vector<Instruction> instructions;
  std::vector<std::string> all(const std::string& op) const;  // the args of each `op`
};

// Continuation lines joined, comments dropped.
std::vector<Stage> parse_dockerfile(const std::string& text);
std::vector<Stage> image_stages();  // of packaging/docker/Dockerfile

// Packages named by `apt-get install` in a stage's RUN instructions.
std::vector<std::string> apt_installs(const Stage& s);
// KEY=VALUE pairs of a stage's ENV instructions.
Env env_of(const Stage& s);

}  // namespace sluice::test::packaging
