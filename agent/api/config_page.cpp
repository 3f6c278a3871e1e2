#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "agent/api/api.h"

namespace sluice::api {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// A URL's password ("https://elastic:PASSWORD@es:9200") is as secret as a password option.
std::string without_url_password(const std::string& s) {
  const size_t scheme = s.find("://");
  if (scheme == std::string::npos) return s;
  const size_t host = scheme + 3;
  const size_t at = s.find('@', host);
  const size_t slash = s.find('/', host);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return s;
  const size_t colon = s.find(':', host);
  if (colon == std::string::npos || colon > at) return s;
  return s.substr(0, colon + 1) + "<redacted>" + s.substr(at);
}

// librdkafka properties that hold credentials or private keys.
bool secret_property(const std::string& k) {
  for (const char* part : {"password", "secret", "key.pem", "oauthbearer.config"}) {
    if (k.find(part) != std::string::npos) return true;
  }
  return false;
}

void write_options(Writer& w, const config::Options& o) {
  for (const auto& [key, v] : o.values()) {
    w.Key(key.c_str());
    if (v.secret && (!v.text.empty() || !v.list.empty())) {
      w.String("<redacted>");
      continue;
    }
    switch (v.type) {
      case config::Type::boolean:
        w.Bool(v.b);
        break;
      case config::Type::integer:
        w.Int64(v.i);
        break;
      case config::Type::strings:
        w.StartArray();
        for (const auto& s : v.list) w.String(without_url_password(s).c_str());
        w.EndArray();
        break;
      case config::Type::table:
        w.StartObject();
        write_options(w, *v.table);
        w.EndObject();
        break;
      case config::Type::map:
        // Passthrough properties may carry credentials (sasl.password): those are not shown.
        w.StartObject();
        for (const auto& [k, val] : v.entries) {
          w.Key(k.c_str());
          w.String(secret_property(k) ? "<redacted>" : val.c_str());
        }
        w.EndObject();
        break;
      default:
        w.String(without_url_password(v.text).c_str());
    }
  }
}

void write_components(Writer& w, const char* key, const std::vector<config::Component>& list) {
  w.Key(key);
  w.StartObject();
  for (const auto& c : list) {
    w.Key(c.name.c_str());
    w.StartObject();
    w.Key("type");
    w.String(c.type.c_str());
    write_options(w, c.options);
    w.EndObject();
  }
  w.EndObject();
}

}  // namespace

// The effective config, defaults filled in and environment expanded, secrets redacted.
http::Response config_page(const AgentState& state) {
  const config::Config& c = state.config();
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  for (auto [key, options] :
       {std::pair{"agent", &c.agent}, {"buffer", &c.buffer}, {"api", &c.api}}) {
    w.Key(key);
    w.StartObject();
    write_options(w, *options);
    w.EndObject();
  }
  write_components(w, "inputs", c.inputs);
  write_components(w, "outputs", c.outputs);
  w.EndObject();
  return {200, "application/json", std::string(sb.GetString()) + "\n"};
}

}  // namespace sluice::api
