#include "outputs/file/json_lines_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "agent/encode/ecs_json.h"
#include "agent/log.h"
#include "agent/uv_handle.h"

namespace sluice::file {
namespace {

constexpr size_t kRecordsPerRead = 1024;
// Written before the turn's end once a read leaves this much encoded: bounds what is held
// back to it and one read's worth.
constexpr size_t kWriteBytes = 256 << 10;

}  // namespace

JsonLinesOutput::JsonLinesOutput(std::string name, AgentContext& ctx, int fd, bool owns_fd)
    : Output(std::move(name), ctx),
      fd_(fd),
      owns_fd_(owns_fd),
      retry_timer_(new_timer<uv_timer_t>(ctx.loop, this)),
      write_at_turn_end_(ctx.loop, [this] {
        if (!closing_ && !retrying()) write_pending();
      }) {}

JsonLinesOutput::~JsonLinesOutput() {
  close_handle(retry_timer_);
  if (owns_fd_) ::close(fd_);
}

bool JsonLinesOutput::retrying() const {
  return uv_is_active(reinterpret_cast<const uv_handle_t*>(retry_timer_));
}

void JsonLinesOutput::wake() {
  if (closing_ || retrying()) return;
  if (pending_.size() >= kWriteBytes && !write_pending()) return;  // held back by a failure
  while (const size_t n = read(kRecordsPerRead, [&](const Record& r) {
           encode::append_ecs_json(r, ctx_.hostname, pending_);
           pending_ += '\n';
         })) {
    pending_records_ += n;
    if (pending_.size() >= kWriteBytes && !write_pending()) return;
  }
  if (pending_records_ > 0) write_at_turn_end_.arm();
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
  pending_.clear();
  written_ = 0;
  backoff_.reset();
  healthy();
  delivered(pending_records_);
  pending_records_ = 0;
  return true;
}

void JsonLinesOutput::close() {
  if (!retrying() && pending_records_ > 0) write_pending();  // what this turn encoded
  closing_ = true;
  uv_timer_stop(retry_timer_);
  dropped(pending_records_, "shutdown");
  pending_records_ = 0;
  abandon_unread("shutdown");
}

}  // namespace sluice::file
