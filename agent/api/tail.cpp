#include "agent/api/tail.h"

#include <algorithm>

#include "agent/encode/ecs_json.h"

namespace sluice::api {

bool TailFilter::matches(const Record& r) const {
  const SourceMeta* m = r.meta;
  if (!container.empty() && (!m || m->container_name != container)) return false;
  if (!app.empty() && (!m || m->marathon_app_id != app)) return false;
  if (!input.empty() && (!m || m->input != input)) return false;
  if (!contains.empty() && r.message.find(contains) == std::string_view::npos) return false;
  return true;
}

void TailHub::add(std::shared_ptr<http::Stream> stream, TailFilter filter) {
  clients_.push_back({std::move(stream), std::move(filter), 0});
}

size_t TailHub::clients() const {
  return static_cast<size_t>(std::count_if(clients_.begin(), clients_.end(),
                                           [](const Client& c) { return c.stream->open(); }));
}

void TailHub::offer(const Record& r) {
  std::erase_if(clients_, [](const Client& c) { return !c.stream->open(); });
  line_.clear();
  for (auto& c : clients_) {
    if (!c.filter.matches(r)) continue;
    if (c.stream->queued_bytes() > kMaxQueuedBytes) {
      ++c.dropped;
      continue;
    }
    if (c.dropped) {
      c.stream->write("{\"sluice_tail\":{\"dropped\":" + std::to_string(c.dropped) +
                      ",\"reason\":\"client too slow\"}}\n");
      c.dropped = 0;
    }
    if (line_.empty()) {
      encode::append_ecs_json(r, hostname_, line_);
      line_ += '\n';
    }
    c.stream->write(line_);
  }
}

}  // namespace sluice::api
