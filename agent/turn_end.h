// Runs a callback once at the end of the loop's current turn, after that turn's I/O callbacks
// (a libuv check handle, with an idle handle so that the loop does not sleep first). An output that
// several wakes of one turn hand records to can write them all in one syscall then: a busy input
// reads many batches per turn and wakes the outputs after each, while its records are still in the
// cache.
#pragma once

#include <uv.h>

#include <functional>
#include <utility>

#include "agent/uv_handle.h"

namespace sluice {

class TurnEnd {
 public:
  TurnEnd(uv_loop_t* loop, std::function<void()> fn)
      : fn_(std::move(fn)), check_(new uv_check_t), idle_(new uv_idle_t) {
    uv_check_init(loop, check_);
    check_->data = this;
    uv_idle_init(loop, idle_);
  }
  ~TurnEnd() {
    close_handle(check_);
    close_handle(idle_);
  }
  TurnEnd(const TurnEnd&) = delete;
  TurnEnd& operator=(const TurnEnd&) = delete;

  // Once per turn however often it is called; armed from the callback, it runs in the next turn.
  void arm() {
    uv_check_start(check_, [](uv_check_t* c) {
      auto* self = static_cast<TurnEnd*>(c->data);
      uv_check_stop(c);
      uv_idle_stop(self->idle_);
      self->fn_();
    });
    // A check handle alone lets the loop block in poll until other I/O comes: armed from a
    // timer or from its own callback, it would wait for that. An active idle handle makes the
    // poll return at once.
    uv_idle_start(idle_, [](uv_idle_t*) {});
  }

 private:
  std::function<void()> fn_;
  uv_check_t* check_;
  uv_idle_t* idle_;
};

}  // namespace sluice
