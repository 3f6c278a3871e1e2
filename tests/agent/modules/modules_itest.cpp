// The agent loads a kind's module, and with it the kind's libraries, only when its config
// names that kind; a module that cannot load is a config error that names the file.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tests/packaging/packaging_support.h"
#include "tests/support/agent_process.h"
#include "tests/support/paths.h"

namespace sluice::test {
namespace {

std::string mapped_files(pid_t pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::stringstream ss;
  ss << maps.rdbuf();
  return ss.str();
}

std::string devlog_to(AgentProcess& agent, const std::string& output) {
  return "[api]\nenabled = false\n[inputs.local]\ntype = \"devlog\"\npath = \"" + agent.dir() +
         "/dev-log\"\n[outputs.out]\n" + output;
}

constexpr const char* kHeavyLibraries[] = {"librdkafka",
                                           "libcurl",
                                           "libssl",
                                           "libcrypto",
                                           "libsystemd",
                                           "sluice-kafka.so",
                                           "sluice-elasticsearch.so",
                                           "sluice-docker.so",
                                           "sluice-tls.so"};

TEST(Modules, AnAgentShippingToSyslogOverTcpMapsNoLibraryOfTheOtherKinds) {
  AgentProcess agent;
  agent.write_config(devlog_to(agent, "type = \"syslog\"\naddress = \"tcp://127.0.0.1:9\"\n"));
  ASSERT_TRUE(agent.start()) << agent.log();
  const std::string maps = mapped_files(agent.pid());
  ASSERT_NE(maps.find("libuv"), std::string::npos) << maps;  // the maps were read
  for (const char* lib : kHeavyLibraries) EXPECT_EQ(maps.find(lib), std::string::npos) << lib;
  EXPECT_EQ(agent.stop(), 0);
}

TEST(Modules, EachKindInAModuleLoadsItWithItsLibrariesWhenConfigured) {
  struct Case {
    std::string output;
    const char* module;
    const char* library;
  };
  const Case cases[] = {
      {"type = \"kafka\"\ntopic = \"t\"\nbrokers = [\"127.0.0.1:9\"]\n", "sluice-kafka.so",
       "librdkafka"},
      {"type = \"elasticsearch\"\nurls = [\"http://127.0.0.1:9\"]\n", "sluice-elasticsearch.so",
       "libcurl"},
      {"type = \"syslog\"\naddress = \"tls://127.0.0.1:9\"\n", "sluice-tls.so", "libssl"},
  };
  for (const auto& c : cases) {
    AgentProcess agent;
    agent.write_config(devlog_to(agent, c.output));
    ASSERT_TRUE(agent.start()) << agent.log();
    const std::string maps = mapped_files(agent.pid());
    EXPECT_NE(maps.find(c.module), std::string::npos) << c.output;
    EXPECT_NE(maps.find(c.library), std::string::npos) << c.output;
    EXPECT_EQ(agent.stop(), 0) << agent.log();
  }
}

TEST(Modules, AModuleThatCannotLoadIsAConfigErrorNamingTheFile) {
  packaging::TempDir empty;
  AgentProcess agent;
  agent.write_config(devlog_to(agent, "type = \"elasticsearch\"\nurls = [\"http://h:9200\"]\n"));
  const auto check = packaging::check_config(sluice_binary(), agent.config_path(),
                                             {{"SLUICE_MODULE_DIR", empty.path()}});
  EXPECT_EQ(check.exit_code, 1) << check.output;
  EXPECT_NE(check.output.find(agent.config_path() +
                              ":7:8: [outputs.out] type 'elasticsearch': cannot load module: " +
                              empty.path() + "/sluice-elasticsearch.so: cannot open"),
            std::string::npos)
      << check.output;
}

}  // namespace
}  // namespace sluice::test
