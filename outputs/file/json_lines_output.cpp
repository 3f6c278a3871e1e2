#include "outputs/file/json_lines_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/encode/ecs_json.h"
#include "agent/log.h"
#include "agent/uv_handle.h"

namespace sluice::file {
namespace {

constexpr size_t kRecordsPerWrite = 1024;

}  // namespace

JsonLinesOutput::JsonLinesOutput(std::string name, AgentContext& ctx, int fd, bool owns_fd)
    : Output(std::move(name), ctx),
      fd_(fd),
      owns_fd_(owns_fd),
      retry_timer_(new_timer<uv_timer_t>(ctx.loop, this)) {}

JsonLinesOutput::~JsonLinesOutput() {
  close_handle(retry_timer_);
  if (owns_fd_) ::close(fd_);
}

void JsonLinesOutput::wake() {
  if (closing_ || uv_is_active(reinterpret_cast<uv_handle_t*>(retry_timer_))) return;
  for (;;) {
    if (pending_records_ == 0) {
      pending_.clear();
      written_ = 0;
      pending_records_ = read(kRecordsPerWrite, [&](const Record& r) {
        encode::append_ecs_json(r, ctx_.hostname, pending_);
        pending_ += '\n';
      });
      if (pending_records_ == 0) return;
    }
    if (!write_pending()) return;
  }
}

bool JsonLinesOutput::write_pending() {
  while (written_ < pending_.size()) {
    ssize_t n = ::write(fd_, pending_.data() + written_, pending_.size() - written_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // A full disk or a closed pipe: keep the lines and try again later.
      count("write_failures");
      failing(std::string("write: ") + std::strerror(errno));
      log::limited(log::Level::warn, name(), "write",
                   std::string("write: ") + std::strerror(errno));
      uv_timer_start(
          retry_timer_, [](uv_timer_t* t) { static_cast<JsonLinesOutput*>(t->data)->wake(); },
          static_cast<uint64_t>(backoff_.next_ms()), 0);
      return false;
    }
    written_ += static_cast<size_t>(n);
  }
  backoff_.reset();
  healthy();
  delivered(pending_records_);
  pending_records_ = 0;
  return true;
}

void JsonLinesOutput::close() {
  closing_ = true;
  uv_timer_stop(retry_timer_);
  dropped(pending_records_, "shutdown");
  pending_records_ = 0;
  abandon_unread("shutdown");
}

}  // namespace sluice::file
