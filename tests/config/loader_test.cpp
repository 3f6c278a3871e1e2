#include "config/loader.h"

#include <gtest/gtest.h>

#include "agent/agent.h"

namespace sluice::config {
namespace {

std::optional<Config> load(std::string_view text, Diagnostics& diag) {
  auto env = [](const std::string& n) -> std::optional<std::string> {
    if (n == "SYSLOG_HOST") return std::string("central.example");
    return std::nullopt;
  };
  return load_config(text, "test.toml", sluice::catalog(), env, diag);
}

std::vector<std::string> errors(std::string_view text) {
  Diagnostics diag;
  EXPECT_FALSE(load(text, diag));
  std::vector<std::string> out;
  for (const auto& d : diag.list()) out.push_back(d.str());
  return out;
}

constexpr std::string_view kValid = R"(
[agent]
hostname = "node-7"

[buffer]
max_bytes = "16MiB"
when_full = "drop_oldest"

[inputs.local]
type = "devlog"
path = "/tmp/dev-log"
max_message_bytes = "8KiB"

[outputs.central]
type = "syslog"
address = "tcp://${SYSLOG_HOST}:514"
framing = "lf"

[outputs.debug]
type = "console"
)";

TEST(Loader, ReadsAValidConfigWithDefaults) {
  Diagnostics diag;
  auto c = load(kValid, diag);
  ASSERT_TRUE(c) << (diag.list().empty() ? "" : diag.list()[0].str());
  EXPECT_EQ(c->agent.string("hostname"), "node-7");
  EXPECT_EQ(c->agent.duration_ms("shutdown_timeout"), 5000);
  EXPECT_EQ(c->buffer.size("max_bytes"), 16u << 20);
  EXPECT_EQ(c->buffer.string("when_full"), "drop_oldest");
  ASSERT_EQ(c->inputs.size(), 1u);
  EXPECT_EQ(c->inputs[0].name, "local");
  EXPECT_EQ(c->inputs[0].options.size("max_message_bytes"), 8192u);
  EXPECT_EQ(c->inputs[0].options.string("mode"), "0666");
  ASSERT_EQ(c->outputs.size(), 2u);
  EXPECT_EQ(c->outputs[0].options.string("address"), "tcp://central.example:514");
  EXPECT_EQ(c->outputs[0].options.string("format"), "rfc5424");
  EXPECT_TRUE(c->outputs[0].options.table("tls").boolean("verify"));
  EXPECT_EQ(c->outputs[1].type, "console");
}

TEST(Loader, TypoedKeyNamesItsPlaceAndASuggestion) {
  auto e = errors(R"([inputs.local]
type = "devlog"
paht = "/dev/log"
[outputs.o]
type = "console"
)");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "test.toml:3:1: unknown key 'paht' in [inputs.local] (did you mean 'path'?)");
}

TEST(Loader, SyntaxErrorHasLineAndColumn) {
  auto e = errors("[inputs.local]\ntype = \"devlog\nx");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].rfind("test.toml:2:", 0), 0u) << e[0];
}

TEST(Loader, WrongTypesAreReported) {
  auto e = errors(R"([buffer]
max_bytes = true
[inputs.local]
type = "devlog"
max_message_bytes = "lots"
[outputs.o]
type = "syslog"
address = "tls://h:6514"
tls = { verify = "yes" }
)");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], "test.toml:2:13: buffer.max_bytes must be a size (e.g. \"64MiB\")");
  EXPECT_EQ(
      e[1],
      "test.toml:5:21: inputs.local.max_message_bytes: 'lots' is not a size (e.g. \"64MiB\")");
  EXPECT_EQ(e[2], "test.toml:9:18: outputs.o.tls.verify must be a boolean");
}

TEST(Loader, BadAddressesAreReported) {
  auto e = errors(R"([inputs.local]
type = "devlog"
[outputs.a]
type = "syslog"
address = "logs.example.com:514"
[outputs.b]
type = "syslog"
address = "tcp://logs:99999"
[outputs.c]
type = "syslog"
address = "tcp://::1:514"
)");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_NE(e[0].find("test.toml:5:11: outputs.a.address: 'logs.example.com:514' has no scheme"),
            std::string::npos)
      << e[0];
  EXPECT_NE(e[1].find("test.toml:8:11: outputs.b.address: '99999' is not a port"),
            std::string::npos)
      << e[1];
  EXPECT_NE(e[2].find("needs brackets"), std::string::npos) << e[2];
}

TEST(Loader, MissingRequiredKeysAndUnknownTypes) {
  auto e = errors(R"([inputs.local]
type = "devlog"
[outputs.a]
type = "syslog"
[outputs.b]
type = "kafkaa"
[outputs.c]
path = "x"
)");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0], "test.toml:3:1: missing required key 'address' in [outputs.a]");
  EXPECT_EQ(e[1].rfind("test.toml:6:8: unknown output type 'kafkaa' (one of: syslog, console, "
                       "file, kafka, elasticsearch",
                       0),
            0u)
      << e[1];
  EXPECT_EQ(e[2].rfind("test.toml:7:1: missing required key 'type' in [outputs.c]", 0), 0u) << e[2];
}

// A kind whose module does not load is an error at its type, with the loader's reason; the
// other sections are still checked.
TEST(Loader, AKindThatDoesNotLoadIsAnErrorAtItsType) {
  Catalog catalog = sluice::catalog();
  const auto real = catalog.outputs.find;
  catalog.outputs.find = [real](std::string_view type,
                                std::string& error) -> const ComponentSchema* {
    if (type != "kafka") return real(type, error);
    error = "cannot load module: /x/sluice-kafka.so: cannot open shared object file";
    return nullptr;
  };
  Diagnostics diag;
  EXPECT_FALSE(
      load_config("[inputs.local]\ntype = \"devlog\"\n[outputs.k]\ntype = \"kafka\"\n"
                  "[outputs.s]\ntype = \"syslog\"\n",
                  "test.toml", catalog, getenv_lookup, diag));
  ASSERT_EQ(diag.list().size(), 2u);
  EXPECT_EQ(diag.list()[0].str(),
            "test.toml:4:8: [outputs.k] type 'kafka': cannot load module: /x/sluice-kafka.so: "
            "cannot open shared object file");
  EXPECT_EQ(diag.list()[1].str(), "test.toml:5:1: missing required key 'address' in [outputs.s]");
}

TEST(Loader, UnsetEnvironmentVariableIsAnErrorAtItsPlace) {
  auto e = errors(R"([inputs.local]
type = "devlog"
[outputs.a]
type = "syslog"
address = "tcp://${NOPE}:514"
)");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "test.toml:5:11: environment variable NOPE is not set");
}

TEST(Loader, UnknownSectionsAndBadChoices) {
  auto e = errors(R"([bufer]
max_bytes = "1MiB"
[buffer]
when_full = "drop_random"
[inputs.local]
type = "devlog"
[outputs.o]
type = "console"
)");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].rfind("test.toml:1:2: unknown section 'bufer'", 0), 0u) << e[0];
  EXPECT_EQ(e[1],
            "test.toml:4:13: buffer.when_full: 'drop_random' is not one of \"drop_newest\", "
            "\"drop_oldest\"");
}

TEST(Loader, NeedsAnInputAndAnOutput) {
  auto e = errors("[inputs.local]\ntype = \"devlog\"\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "test.toml:1:1: no [outputs.NAME] section: records would have nowhere to go");
}

TEST(Loader, FingerprintsTellChangedSectionsApart) {
  Diagnostics d1, d2;
  auto a = load(kValid, d1);
  std::string changed(kValid);
  changed.replace(changed.find("framing = \"lf\""), 14, "framing = \"octet-counting\"");
  auto b = load(changed, d2);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->inputs[0].fingerprint, b->inputs[0].fingerprint);
  EXPECT_NE(a->outputs[0].fingerprint, b->outputs[0].fingerprint);
  EXPECT_EQ(a->outputs[1].fingerprint, b->outputs[1].fingerprint);
}

}  // namespace
}  // namespace sluice::config
