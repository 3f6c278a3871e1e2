#include "tests/support/es_server.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <future>

#include "inputs/docker/container_info.h"  // glob_match
#include "tests/support/es_filter_path.h"
#include "tests/support/gunzip.h"

namespace sluice::test {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::unique_ptr<http::Response> json(int status, std::string body) {
  return std::make_unique<http::Response>(
      http::Response{status, "application/json", std::move(body)});
}

std::unique_ptr<http::Response> error(int status, const std::string& type,
                                      const std::string& reason) {
  return json(status, "{\"error\":{\"root_cause\":[{\"type\":\"" + type + "\",\"reason\":\"" +
                          reason + "\"}],\"type\":\"" + type + "\",\"reason\":\"" + reason +
                          "\"},\"status\":" + std::to_string(status) + "}");
}

const rapidjson::Value* field(const rapidjson::Value& doc, const std::string& dotted) {
  const rapidjson::Value* cur = &doc;
  size_t start = 0;
  while (start <= dotted.size()) {
    const size_t dot = std::min(dotted.find('.', start), dotted.size());
    const std::string key = dotted.substr(start, dot - start);
    if (!cur->IsObject() || !cur->HasMember(key.c_str())) return nullptr;
    cur = &(*cur)[key.c_str()];
    start = dot + 1;
  }
  return cur;
}

}  // namespace

EsServer::EsServer() {
  uv_loop_init(&loop_);
  server_ = std::make_unique<http::Server>(
      &loop_,
      [this](const http::Request& r, const http::Server::StreamStarter&) { return handle(r); },
      1ull << 30);
  std::string err;
  server_->listen("127.0.0.1:0", err);
  port_ = server_->port();
  uv_async_init(&loop_, &stop_, [](uv_async_t* a) {
    auto* self = static_cast<EsServer*>(a->data);
    self->server_->close();
    uv_close(reinterpret_cast<uv_handle_t*>(a), nullptr);
  });
  stop_.data = this;
  thread_ = std::thread([this] { uv_run(&loop_, UV_RUN_DEFAULT); });
}

EsServer::~EsServer() {
  uv_async_send(&stop_);
  thread_.join();
  server_.reset();
  uv_run(&loop_, UV_RUN_NOWAIT);
  uv_loop_close(&loop_);
}

void EsServer::reject_next_requests(int n, int status) {
  std::lock_guard l(mu_);
  reject_n_ = n;
  reject_status_ = status;
}
void EsServer::reject_items(double p) {
  std::lock_guard l(mu_);
  item_reject_ = p;
}
void EsServer::reset_next_requests(int n) {
  std::lock_guard l(mu_);
  reset_n_ = n;
}
void EsServer::reset_after_storing_next_bulks(int n) {
  std::lock_guard l(mu_);
  reset_after_n_ = n;
}
void EsServer::set_max_content_length(size_t bytes) {
  std::lock_guard l(mu_);
  max_content_ = bytes;
}
void EsServer::require_number(const std::string& f) {
  std::lock_guard l(mu_);
  number_fields_.push_back(f);
}
EsServer::Stats EsServer::stats() const {
  std::lock_guard l(mu_);
  return stats_;
}
std::vector<std::string> EsServer::documents(const std::string& target) const {
  std::lock_guard l(mu_);
  std::vector<std::string> out;
  auto it = order_.find(target);
  if (it == order_.end()) return out;
  for (const auto& id : it->second) out.push_back(docs_.at(target).at(id));
  return out;
}

std::map<std::string, std::string> EsServer::templates() const {
  std::lock_guard l(mu_);
  return templates_;
}

std::unique_ptr<http::Response> EsServer::handle(const http::Request& r) {
  std::lock_guard l(mu_);
  ++stats_.requests;
  stats_.max_body = std::max(stats_.max_body, r.body.size());
  if (reset_n_ > 0) {
    --reset_n_;
    auto reset = std::make_unique<http::Response>();
    reset->reset = true;
    return reset;
  }
  if (r.body.size() > max_content_) {
    ++stats_.too_large;
    return error(413, "content_too_long_exception", "request body is too large");
  }
  if (reject_n_ > 0) {
    --reject_n_;
    ++stats_.rejected_requests;
    return reject_status_ == 429
               ? error(429, "es_rejected_execution_exception",
                       "rejected execution of coordinating operation")
               : error(503, "unavailable_shards_exception", "primary shard is not active");
  }
  if (r.method == "GET" && r.path == "/") {
    return json(
        200,
        R"({"name":"es-test","cluster_name":"sluice-test","version":{"number":"8.11.0"},"tagline":"You Know, for Search"})");
  }
  const bool bulk_path = r.path == "/_bulk" || (r.path.size() > 6 && r.path.ends_with("/_bulk"));
  if (r.method == "POST" && bulk_path) {
    const std::string unknown = r.unknown_param(
        {"filter_path", "pipeline", "refresh", "routing", "timeout", "wait_for_active_shards",
         "require_alias", "require_data_stream", "_source", "pretty", "error_trace"});
    if (!unknown.empty()) {
      return error(400, "illegal_argument_exception",
                   "request [" + r.path + "] contains unrecognized parameter: [" + unknown + "]");
    }
    const std::string target = r.path == "/_bulk" ? "" : r.path.substr(1, r.path.size() - 7);
    auto answer = bulk(r, target);
    // Like Elasticsearch, filter_path applies to successful responses only.
    const std::string filter = r.param("filter_path");
    if (!filter.empty() && answer->status == 200) {
      ++stats_.filtered_responses;
      answer->body = filter_path(answer->body, filter);
    }
    stats_.max_response = std::max(stats_.max_response, answer->body.size());
    if (reset_after_n_ > 0 && answer->status == 200) {
      --reset_after_n_;
      ++stats_.reset_after_storing;
      answer = std::make_unique<http::Response>();
      answer->reset = true;
    }
    return answer;
  }
  if (r.method == "GET" && r.path.ends_with("/_count")) {
    const std::string target = r.path.substr(1, r.path.size() - 8);
    auto it = docs_.find(target);
    return json(200,
                "{\"count\":" + std::to_string(it == docs_.end() ? 0 : it->second.size()) + "}");
  }
  if (r.method == "PUT" && r.path.starts_with("/_index_template/")) {
    rapidjson::Document d;
    d.Parse(r.body.c_str());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("index_patterns")) {
      return error(400, "x_content_parse_exception", "not an index template");
    }
    templates_[r.path.substr(17)] = r.body;
    return json(200, R"({"acknowledged":true})");
  }
  return error(404, "resource_not_found_exception", "no handler for " + r.method + " " + r.path);
}

std::unique_ptr<http::Response> EsServer::bulk(const http::Request& r,
                                               const std::string& default_target) {
  const auto ct = r.headers.find("content-type");
  if (ct == r.headers.end() || (ct->second.find("application/x-ndjson") == std::string::npos &&
                                ct->second.find("application/json") == std::string::npos)) {
    return error(406, "media_type_header_exception", "Content-Type header is not supported");
  }
  std::string body;
  const auto ce = r.headers.find("content-encoding");
  if (ce != r.headers.end() && ce->second == "gzip") {
    ++stats_.gzip_requests;
    if (!gunzip(r.body, body)) return error(400, "parse_exception", "invalid gzip body");
  } else {
    body = r.body;
  }
  if (body.empty() || body.back() != '\n') {
    return error(400, "illegal_argument_exception",
                 "The bulk request must be terminated by a newline [\\\\n]");
  }
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < body.size();) {
    const size_t nl = body.find('\n', start);
    if (nl > start) lines.emplace_back(body.data() + start, nl - start);
    start = nl + 1;
  }
  rapidjson::StringBuffer sb;
  Writer w(sb);
  w.StartObject();
  w.Key("took");
  w.Int(1);
  w.Key("items");
  w.StartArray();
  bool errors = false;
  std::uniform_real_distribution<double> chance(0, 1);
  for (size_t i = 0; i < lines.size();) {
    rapidjson::Document action;
    action.Parse(lines[i].data(), lines[i].size());
    if (action.HasParseError() || !action.IsObject() || action.MemberCount() != 1) {
      return error(400, "x_content_parse_exception",
                   "Malformed action/metadata line [" + std::to_string(i + 1) + "]");
    }
    const std::string op = action.MemberBegin()->name.GetString();
    const rapidjson::Value& meta = action.MemberBegin()->value;
    std::string target =
        meta.IsObject() && meta.HasMember("_index") ? meta["_index"].GetString() : default_target;
    std::string id = meta.IsObject() && meta.HasMember("_id") ? meta["_id"].GetString() : "";
    if (target.empty())
      return error(400, "action_request_validation_exception", "index is missing");
    if (op != "create" && op != "index") {
      return error(400, "illegal_argument_exception",
                   "operation [" + op + "] is not supported here");
    }
    if (i + 1 >= lines.size()) return error(400, "illegal_argument_exception", "source is missing");
    const std::string_view source = lines[i + 1];
    i += 2;
    int status = 201;
    std::string type, reason;
    rapidjson::Document doc;
    doc.Parse(source.data(), source.size());
    const bool data_stream = docker::glob_match("logs-*-*", target);
    if (chance(rng_) < item_reject_) {
      status = 429, type = "es_rejected_execution_exception",
      reason = "rejected execution of primary operation";
    } else if (data_stream && op != "create") {
      status = 400, type = "illegal_argument_exception",
      reason = "only write ops with an op_type of create are allowed in data streams";
    } else if (doc.HasParseError() || !doc.IsObject()) {
      status = 400, type = "document_parsing_exception", reason = "failed to parse";
    } else if (data_stream && !field(doc, "@timestamp")) {
      status = 400, type = "document_parsing_exception",
      reason = "data stream timestamp field [@timestamp] is missing";
    } else {
      for (const auto& f : number_fields_) {
        const rapidjson::Value* v = field(doc, f);
        if (v && !v->IsNumber()) {
          status = 400, type = "document_parsing_exception",
          reason = "failed to parse field [" + f + "] of type [long]";
        }
      }
    }
    if (status == 201) {
      if (id.empty()) id = "auto-" + std::to_string(next_id_++);
      auto& stored = docs_[target];
      if (op == "create" && stored.count(id)) {
        status = 409, type = "version_conflict_engine_exception",
        reason = "[" + id + "]: version conflict, document already exists";
      } else {
        if (!stored.count(id)) order_[target].push_back(id);
        stored[id] = std::string(source);
        ++stats_.docs_per_target[target];
      }
    }
    ++stats_.item_statuses[status];
    errors = errors || status >= 300;
    w.StartObject();
    w.Key(op.c_str());
    w.StartObject();
    w.Key("_index");
    w.String(target.c_str());
    w.Key("_id");
    w.String(id.c_str());
    w.Key("status");
    w.Int(status);
    if (status < 300) {  // what Elasticsearch 8 answers for a stored document
      w.Key("_version");
      w.Int(1);
      w.Key("result");
      w.String("created");
      w.Key("_shards");
      w.StartObject();
      w.Key("total");
      w.Int(2);
      w.Key("successful");
      w.Int(1);
      w.Key("failed");
      w.Int(0);
      w.EndObject();
      w.Key("_seq_no");
      w.Uint64(next_seq_no_++);
      w.Key("_primary_term");
      w.Int(1);
    } else {
      w.Key("error");
      w.StartObject();
      w.Key("type");
      w.String(type.c_str());
      w.Key("reason");
      w.String(reason.c_str());
      w.EndObject();
    }
    w.EndObject();
    w.EndObject();
  }
  w.EndArray();
  w.Key("errors");
  w.Bool(errors);
  w.EndObject();
  return json(200, sb.GetString());
}

}  // namespace sluice::test
