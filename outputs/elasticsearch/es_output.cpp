#include "outputs/elasticsearch/es_output.h"

#include <curl/curl.h>

#include <deque>
#include <memory>
#include <numeric>

#include "agent/backoff.h"
#include "agent/http/curl_multi.h"
#include "agent/log.h"
#include "agent/modules/module_loader.h"
#include "agent/net/tls.h"
#include "agent/uv_handle.h"
#include "outputs/elasticsearch/bulk_body.h"
#include "outputs/elasticsearch/bulk_encoding.h"
#include "outputs/elasticsearch/bulk_response.h"
#include "outputs/elasticsearch/index_template.h"

namespace sluice::elasticsearch {
namespace {

constexpr std::string_view kCompression[] = {"gzip", "none"};

constexpr config::Option kBatch[] = {
    {"max_bytes", config::Type::size, "5MiB", "A bulk request's body, before compression"},
    {"max_records", config::Type::integer, "5000", "Documents in one bulk request"},
    {"linger", config::Type::duration, "1s", "How long a partial batch waits for more records"},
};

constexpr config::Option kAuth[] = {
    {"user", config::Type::string, "", "Basic authentication user"},
    {"password",
     config::Type::string,
     "",
     "Basic authentication password (use ${ENV})",
     false,
     {},
     {},
     true},
    {"api_key",
     config::Type::string,
     "",
     "API key, base64 as Kibana shows it (use ${ENV})",
     false,
     {},
     {},
     true},
};

const config::Option kOptions[] = {
    {"urls", config::Type::strings, "", "Elasticsearch endpoints, e.g. [\"https://es-1:9200\"]",
     true},
    {"index", config::Type::string, "sluice-%Y.%m.%d",
     "Index name; strftime on the event time (UTC)"},
    {"data_stream", config::Type::string, "",
     "Write to this data stream instead (e.g. \"logs-sluice-default\")"},
    {"batch", config::Type::table, "", "Bulk request size", false, {}, kBatch},
    {"concurrency", config::Type::integer, "2", "Bulk requests in flight"},
    {"compression", config::Type::choice, "gzip", "Request body compression", false, kCompression},
    {"request_timeout", config::Type::duration, "30s",
     "A bulk request that takes longer is retried"},
    {"retry_max", config::Type::duration, "30s", "Longest wait between retries"},
    {"manage_template", config::Type::boolean, "false",
     "Install sluice's index and data-stream templates (ECS field types) at start"},
    {"auth", config::Type::table, "", "Credentials", false, {}, kAuth},
    {"tls",
     config::Type::table,
     "",
     "TLS settings for https:// URLs",
     false,
     {},
     net::tls_options()},
};

void validate(const config::Options& o, config::Diagnostics& diag) {
  for (const auto& url : o.strings("urls")) {
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      diag.error(o.position("urls"),
                 o.path() + ".urls: '" + url + "' must start with http:// or https://");
    }
  }
  if (o.strings("urls").empty()) diag.error(o.position("urls"), o.path() + ".urls is empty");
  const std::string target =
      o.string("data_stream").empty() ? o.string("index") : o.string("data_stream");
  if (target.empty() || target.find_first_of("\"\\/*?<>| ,#") != std::string::npos) {
    diag.error(o.position("index"),
               o.path() + ": '" + target + "' is not a valid index or data stream name");
  }
  if (o.integer("concurrency") < 1)
    diag.error(o.position("concurrency"), o.path() + ".concurrency must be >= 1");
  if (o.table("batch").integer("max_records") < 1) {
    diag.error(o.table("batch").position("max_records"),
               o.path() + ".batch.max_records must be >= 1");
  }
}

// Records read from the buffer at a time while a body is built: when a body fills up by bytes
// mid-read, the rest of the read starts the next one, so that one stays this small.
constexpr size_t kReadChunk = 256;
// The encoding buffer keeps its room up to this size between records.
constexpr size_t kKeepItemBytes = 64 * 1024;

class EsOutput final : public Output {
 public:
  EsOutput(const config::Component& c, AgentContext& ctx)
      : Output(c.name, ctx),
        urls_(c.options.strings("urls")),
        index_(c.options.string("index")),
        data_stream_(c.options.string("data_stream")),
        max_bytes_(c.options.table("batch").size("max_bytes")),
        max_records_(static_cast<size_t>(c.options.table("batch").integer("max_records"))),
        linger_ms_(static_cast<uint64_t>(c.options.table("batch").duration_ms("linger"))),
        concurrency_(static_cast<size_t>(c.options.integer("concurrency"))),
        gzip_(c.options.string("compression") == "gzip"),
        manage_template_(c.options.boolean("manage_template")),
        timeout_ms_(c.options.duration_ms("request_timeout")),
        auth_(c.options.table("auth")),
        tls_(c.options.table("tls")),
        multi_(ctx.loop),
        backoff_(250, c.options.duration_ms("retry_max")),
        linger_timer_(new_timer<uv_timer_t>(ctx.loop, this)),
        retry_timer_(new_timer<uv_timer_t>(ctx.loop, this)),
        batch_limit_(max_records_),
        building_(gzip_) {}

  ~EsOutput() override {
    for (auto* transfers : {&requests_, &templates_}) {
      for (auto& [easy, req] : *transfers) multi_.cancel_and_free(easy);
    }
    close_handle(linger_timer_);
    close_handle(retry_timer_);
  }

  void start() override {
    if (manage_template_) {
      put_template(kIndexTemplateName, kIndexTemplate);
      put_template(kDataStreamTemplateName, kDataStreamTemplate);
    }
    wake();
  }

  void wake() override {
    fill();
    dispatch();
  }

  void close() override {
    closing_ = true;
    uv_timer_stop(linger_timer_);
    uv_timer_stop(retry_timer_);
    for (auto& [easy, req] : requests_) {
      dropped(req->bulk.documents(), "shutdown");
      multi_.cancel_and_free(easy);
    }
    requests_.clear();
    for (const auto& b : ready_) dropped(b.documents(), "shutdown");
    ready_.clear();
    dropped(building_.documents(), "shutdown");
    building_ = BulkBody(gzip_);
    abandon_unread("shutdown");
  }

  uint64_t in_flight() const override {
    uint64_t n = building_.documents();
    for (const auto& b : ready_) n += b.documents();
    for (const auto& [easy, req] : requests_) n += req->bulk.documents();
    return n;
  }

 private:
  struct Request {
    explicit Request(BulkBody b) : bulk(std::move(b)) {}
    BulkBody bulk;  // what a bulk request sends, and where its documents are, for retries
    std::string response;
    curl_slist* headers = nullptr;
    uint64_t sent_ms = 0;
    char error[CURL_ERROR_SIZE] = {};  // libcurl's detail, e.g. which certificate check failed
    ~Request() { curl_slist_free_all(headers); }
    std::string failure(CURLcode rc) const { return error[0] ? error : curl_easy_strerror(rc); }
  };

  // Reads ahead only what the next body needs: records go from the buffer into the body being
  // built (encoded and compressed one by one) until it is full and waits for a free request.
  // What was read is still the buffer's until settled, so nothing more is held here.
  void fill() {
    while (!closing_ && ready_.empty()) {
      if (building_.documents() >= batch_limit_) {
        seal();
        break;
      }
      const size_t room = std::min(batch_limit_ - building_.documents(), kReadChunk);
      if (read(room, [&](const Record& r) { add(r); }) == 0) break;
    }
  }

  void add(const Record& r) {
    item_.clear();
    append_item(r, next_read_seq() - 1,
                data_stream_.empty() ? index_name(index_, r.event_ns) : data_stream_, ctx_.hostname,
                item_);
    if (building_.documents() > 0 && building_.raw_bytes() + item_.size() > max_bytes_) seal();
    building_.add(item_);
    if (building_.documents() >= batch_limit_ || building_.raw_bytes() >= max_bytes_) seal();
    if (item_.capacity() > kKeepItemBytes) item_ = std::string();  // after a huge record
  }

  // The body being built is complete: it waits for a request.
  void seal() {
    building_.finish();
    ready_.push_back(std::move(building_));
    building_ = BulkBody(gzip_);
  }

  // Sends what is ready, then a partial body once it has waited `linger`.
  void dispatch() {
    if (closing_ || uv_is_active(reinterpret_cast<uv_handle_t*>(retry_timer_))) return;
    while (requests_.size() < concurrency_) {
      if (ready_.empty() && building_.documents() == 0) break;
      if (ready_.empty() && !linger_expired_) {
        if (!uv_is_active(reinterpret_cast<uv_handle_t*>(linger_timer_))) {
          uv_timer_start(
              linger_timer_,
              [](uv_timer_t* t) {
                auto* self = static_cast<EsOutput*>(t->data);
                self->linger_expired_ = true;
                self->dispatch();
              },
              linger_ms_, 0);
        }
        return;
      }
      if (ready_.empty()) seal();
      send(std::move(ready_.front()));
      ready_.pop_front();
      fill();
    }
    linger_expired_ = false;
  }

  // A template is installed once, alongside delivery; a failure is logged and counted, and
  // documents are still written (Elasticsearch then guesses field types).
  void put_template(std::string_view name, std::string_view body) {
    auto req = std::make_unique<Request>(BulkBody(false));
    CURL* e = curl_easy_init();
    const std::string url = urls_[0] + "/_index_template/" + std::string(name);
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, "PUT");
    req->headers = curl_slist_append(req->headers, "Content-Type: application/json");
    configure(e, *req, body);  // a constant: outlives the transfer
    templates_[e] = std::move(req);
    multi_.add(e, [this, e, name = std::string(name)](CURLcode rc) {
      long status = 0;
      if (rc == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
      if (status != 200) {
        count("template_failures");
        log::warn(this->name(),
                  "installing template " + name + " failed: " +
                      (rc != CURLE_OK ? templates_[e]->failure(rc) : templates_[e]->response));
      } else {
        log::info(this->name(), "installed template " + name);
      }
      templates_.erase(e);
      curl_easy_cleanup(e);
    });
  }

  // What every request to Elasticsearch carries: timeout, credentials, TLS, body, response.
  void configure(CURL* e, Request& req, std::string_view body) {
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req.error);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms_));
    if (!auth_.string("api_key").empty()) {
      req.headers = curl_slist_append(req.headers,
                                      ("Authorization: ApiKey " + auth_.string("api_key")).c_str());
    } else if (!auth_.string("user").empty()) {
      curl_easy_setopt(e, CURLOPT_USERNAME, auth_.string("user").c_str());
      curl_easy_setopt(e, CURLOPT_PASSWORD, auth_.string("password").c_str());
    }
    if (!tls_.string("ca_file").empty())
      curl_easy_setopt(e, CURLOPT_CAINFO, tls_.string("ca_file").c_str());
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, tls_.boolean("verify") ? 1L : 0L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, tls_.boolean("verify") ? 2L : 0L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, req.headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &req.response);
    curl_easy_setopt(
        e, CURLOPT_WRITEFUNCTION, +[](char* p, size_t s, size_t n, void* out) {
          static_cast<std::string*>(out)->append(p, s * n);
          return s * n;
        });
  }

  void send(BulkBody body) {
    auto req = std::make_unique<Request>(std::move(body));
    uv_timer_stop(linger_timer_);
    CURL* e = curl_easy_init();
    // Only what the response is read for: an item's status and error. Elasticsearch otherwise
    // sends some 180 bytes per document (index, id, version, shards, sequence numbers).
    const std::string url = urls_[next_url_++ % urls_.size()] +
                            "/_bulk?filter_path=errors,items.*.status,items.*.error";
    curl_easy_setopt(e, CURLOPT_URL, url.c_str());
    req->headers = curl_slist_append(req->headers, "Content-Type: application/x-ndjson");
    if (req->bulk.gzip()) {
      req->headers = curl_slist_append(req->headers, "Content-Encoding: gzip");
    }
    configure(e, *req, req->bulk.bytes());
    req->sent_ms = uv_now(ctx_.loop);
    requests_[e] = std::move(req);
    multi_.add(e, [this, e](CURLcode rc) { finished(e, rc); });
  }

  void finished(CURL* e, CURLcode rc) {
    long status = 0;
    if (rc == CURLE_OK) curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
    std::unique_ptr<Request> req = std::move(requests_[e]);
    requests_.erase(e);
    curl_easy_cleanup(e);
    observe_latency(static_cast<double>(uv_now(ctx_.loop) - req->sent_ms) / 1000.0);
    // A request that failed as a whole goes again as it is: same body, same document ids.
    if (rc != CURLE_OK) return retry(std::move(req->bulk), req->failure(rc));
    if (status == 413) return split(std::move(req->bulk));
    if (status == 429 || status >= 500)
      return retry(std::move(req->bulk), "HTTP " + std::to_string(status));
    std::vector<ItemResult> results;
    if (status != 200 || !parse_bulk_response(req->response, req->bulk.documents(), results)) {
      // A request Elasticsearch refuses as a whole will be refused again: give it up, counted.
      reject(req->bulk.documents(), "http_" + std::to_string(status), req->response.substr(0, 300));
      return after_response();
    }
    std::vector<size_t> again;
    uint64_t ok = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      switch (results[i].outcome) {
        case Outcome::delivered:
          ++ok;
          break;
        case Outcome::retry:
          again.push_back(i);
          break;
        case Outcome::rejected:
          reject(1, results[i].reason, "");
          break;
      }
    }
    delivered(ok);
    healthy();
    if (!again.empty()) {
      // Only these go again: recovered from the sent body, into a body of their own.
      return retry(req->bulk.select(again), "items rejected: " + results[again[0]].reason);
    }
    backoff_.reset();
    batch_limit_ = max_records_;
    after_response();
  }

  void reject(uint64_t n, const std::string& reason, const std::string& detail) {
    dropped(n, "es:" + reason);
    log::limited(log::Level::warn, name(), reason,
                 "Elasticsearch rejected " + std::to_string(n) + " document(s): " + reason +
                     (detail.empty() ? "" : " " + detail));
  }

  // 413: the batch was too large for http.max_content_length; send it in halves.
  void split(BulkBody body) {
    count("split_batches");
    const size_t n = body.documents();
    if (n == 1) {
      reject(1, "too_large", "a single document exceeds the request size limit");
      return after_response();
    }
    batch_limit_ = std::max<size_t>(1, n / 2);
    std::vector<size_t> first(n / 2), second(n - n / 2);
    std::iota(first.begin(), first.end(), 0);
    std::iota(second.begin(), second.end(), n / 2);
    ready_.push_front(body.select(second));
    ready_.push_front(body.select(first));
    after_response();
  }

  void retry(BulkBody body, const std::string& why) {
    count("retries");
    failing(why);
    log::limited(log::Level::warn, name(), "retry", "bulk request will be retried: " + why);
    ready_.push_front(std::move(body));
    if (!closing_ && !uv_is_active(reinterpret_cast<uv_handle_t*>(retry_timer_))) {
      uv_timer_start(
          retry_timer_,
          [](uv_timer_t* t) {
            auto* self = static_cast<EsOutput*>(t->data);
            self->linger_expired_ = true;  // retried items go out now, full batch or not
            self->wake();
          },
          static_cast<uint64_t>(backoff_.next_ms()), 0);
    }
  }

  void after_response() { wake(); }

  std::vector<std::string> urls_;
  std::string index_, data_stream_;
  size_t max_bytes_, max_records_;
  uint64_t linger_ms_;
  size_t concurrency_;
  bool gzip_;
  bool manage_template_;
  int64_t timeout_ms_;
  config::Options auth_, tls_;
  http::CurlMulti multi_;
  Backoff backoff_;
  uv_timer_t* linger_timer_;
  uv_timer_t* retry_timer_;
  size_t batch_limit_;
  BulkBody building_;           // filled from the buffer; sealed when full or lingered
  std::deque<BulkBody> ready_;  // sealed, and bodies to send again, waiting for a request
  std::string item_;            // the record being encoded
  std::map<CURL*, std::unique_ptr<Request>> requests_;
  std::map<CURL*, std::unique_ptr<Request>> templates_;
  size_t next_url_ = 0;
  bool linger_expired_ = false;
  bool closing_ = false;
};

}  // namespace

const OutputKind kind{
    {"elasticsearch", "Elasticsearch bulk API with ECS documents (indices or data streams)",
     kOptions, validate},
    [](const config::Component& c, AgentContext& ctx) -> std::unique_ptr<Output> {
      return std::make_unique<EsOutput>(c, ctx);
    },
};

}  // namespace sluice::elasticsearch

SLUICE_MODULE_ENTRY(output, elasticsearch, sluice::elasticsearch::kind)
