#include "inputs/docker/container_follower.h"

#include <ctime>

#include "agent/uv_handle.h"

namespace sluice::docker {
namespace {

// An engine request's failure: libcurl's reason, or the status that was not 200.
std::string failure(long status, std::string error) {
  if (error.empty() && status != 200) error = "logs request answered " + std::to_string(status);
  return error;
}

int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

void advance(Position& p, int64_t ts) {
  if (ts == p.ts_ns) {
    ++p.lines_at_ts;
  } else if (ts > p.ts_ns) {
    p = {ts, 1};
  }
}

}  // namespace

ContainerFollower::ContainerFollower(ContainerInfo info, ContainerPosition resume,
                                     AgentContext& ctx, EngineClient& engine, size_t max_line_bytes,
                                     FollowerCounters& counters,
                                     std::optional<MultilineRule> multiline)
    : info_(std::move(info)),
      ctx_(ctx),
      engine_(engine),
      max_line_(max_line_bytes),
      counters_(counters),
      resume_(resume),
      current_(resume),
      settled_(resume) {
  if (multiline) {
    join_timeout_ms_ = multiline->timeout_ms;
    join_out_ = std::make_unique<MultilineJoiner>(*multiline);
    join_err_ = std::make_unique<MultilineJoiner>(*multiline);
    join_timer_ = new_timer<uv_timer_t>(ctx.loop, this);
  }
}

ContainerFollower::~ContainerFollower() {
  close_handle(join_timer_);
  close_handle(read_timer_);
}

void ContainerFollower::flush_joined(int64_t now) {
  if (!join_out_) return;
  for (auto* j : {join_out_.get(), join_err_.get()}) {
    j->flush([&](const MultilineJoiner::Joined& r) {
      push(r.line, now);
      for (int64_t ts : r.line_timestamps) {
        if (ts) advance(r.line.stream == Stream::stderr_stream ? current_.err : current_.out, ts);
      }
    });
  }
}

void ContainerFollower::attach(std::function<void(const std::string&)> on_end) {
  on_end_ = std::move(on_end);
  end_error_.clear();
  notify_ = engine_.stream(
      "/containers/" + info_.id + "/logs?stdout=1&stderr=1&follow=1&tail=0",
      [this](std::string_view) { want_read(); },
      [this](long status, std::string error) {
        end_error_ = failure(status, std::move(error));
        want_read();  // the last lines before the end; on_end follows that read
      });
  want_read();
}

void ContainerFollower::detach() {
  notify_.reset();
  read_.reset();
  if (read_timer_) uv_timer_stop(read_timer_);
  read_again_ = false;
}

void ContainerFollower::want_read() {
  if (read_ && !read_->ended) {
    read_again_ = true;
    return;
  }
  const uint64_t now = uv_now(ctx_.loop);
  const uint64_t due = last_read_ms_ ? last_read_ms_ + kReadEveryMs : 0;
  if (now >= due) return start_read();
  if (!read_timer_) read_timer_ = new_timer<uv_timer_t>(ctx_.loop, this);
  if (uv_is_active(reinterpret_cast<uv_handle_t*>(read_timer_))) return;
  uv_timer_start(
      read_timer_, [](uv_timer_t* t) { static_cast<ContainerFollower*>(t->data)->start_read(); },
      due - now, 0);
}

void ContainerFollower::start_read() {
  // From where the last read stopped; `since` has whole seconds, and what it repeats is
  // skipped line by line.
  last_read_ms_ = uv_now(ctx_.loop);
  read_again_ = false;
  resume_ = current_;
  skipped_out_ = skipped_err_ = 0;
  const int64_t since_ns = std::min(resume_.out.ts_ns, resume_.err.ts_ns);
  const int64_t since = since_ns > 0 ? since_ns / 1000000000 : 0;
  decoder_ = std::make_unique<LogStreamDecoder>(info_.tty, max_line_);
  const std::string path = "/containers/" + info_.id +
                           "/logs?stdout=1&stderr=1&timestamps=1&since=" + std::to_string(since);
  read_ = engine_.stream(
      path,
      [this](std::string_view bytes) {
        const int64_t now = now_ns();
        decoder_->feed(bytes, [&](const LogLine& l) { on_line(l, now); });
        marks_.emplace_back(ctx_.buffer->head_seq(), current_);
        ctx_.buffer->notify();
      },
      [this](long status, std::string error) { read_ended(failure(status, std::move(error))); });
}

void ContainerFollower::read_ended(const std::string& error) {
  const int64_t now = now_ns();
  const bool following = attached();
  // While the container may still write, a last line without its newline is not complete:
  // the next read takes it whole. Once its log has ended and no read is due, it is.
  if (!following && !read_again_) {
    decoder_->finish([&](const LogLine& l) { on_line(l, now); });
    flush_joined(now);
  }
  marks_.emplace_back(ctx_.buffer->head_seq(), current_);
  ctx_.buffer->notify();
  counters_.garbage_headers += decoder_->garbage_headers();
  if (read_again_ || (following && !error.empty())) return want_read();
  if (following) return;
  auto on_end = std::move(on_end_);
  on_end_ = nullptr;
  if (on_end) on_end(error.empty() ? end_error_ : error);
}

bool ContainerFollower::already_taken(Position& resume, uint32_t& skipped, int64_t ts) {
  if (ts < resume.ts_ns) return true;
  if (ts == resume.ts_ns && skipped < resume.lines_at_ts) {
    ++skipped;
    return true;
  }
  return false;
}

void ContainerFollower::on_line(const LogLine& l, int64_t now) {
  const bool err = l.stream == Stream::stderr_stream;
  if (l.has_timestamp && already_taken(err ? resume_.err : resume_.out,
                                       err ? skipped_err_ : skipped_out_, l.timestamp_ns)) {
    ++counters_.duplicates_skipped;
    return;
  }
  if (!join_out_) {
    push(l, now);
    if (l.has_timestamp) advance(err ? current_.err : current_.out, l.timestamp_ns);
    return;
  }
  // Joined records are pushed whole; the read position advances over all their lines then.
  (err ? join_err_ : join_out_)->add(l, [&](const MultilineJoiner::Joined& r) {
    push(r.line, now);
    for (int64_t ts : r.line_timestamps) {
      if (ts) advance(err ? current_.err : current_.out, ts);
    }
  });
  uv_timer_start(
      join_timer_,
      [](uv_timer_t* t) {
        auto* self = static_cast<ContainerFollower*>(t->data);
        self->flush_joined(now_ns());
        self->marks_.emplace_back(self->ctx_.buffer->head_seq(), self->current_);
        self->ctx_.buffer->notify();
      },
      static_cast<uint64_t>(join_timeout_ms_), 0);
}

void ContainerFollower::push(const LogLine& l, int64_t now) {
  const bool err = l.stream == Stream::stderr_stream;
  Record r;
  r.receive_ns = now;
  r.event_ns = l.has_timestamp ? l.timestamp_ns : now;
  r.facility = 1;            // user
  r.severity = err ? 3 : 6;  // stderr: error, stdout: informational
  r.stream = l.stream;
  r.app_name = info_.meta->container_name;
  r.procid = std::string_view(info_.id).substr(0, 12);
  r.message = l.text;
  ++counters_.lines;
  counters_.truncated += l.truncated;
  ctx_.buffer->push(r, info_.meta);
}

ContainerPosition ContainerFollower::settled(uint64_t settled_seq) {
  while (!marks_.empty() && marks_.front().first <= settled_seq) {
    settled_ = marks_.front().second;
    marks_.pop_front();
  }
  return settled_;
}

}  // namespace sluice::docker
