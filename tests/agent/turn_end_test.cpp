// TurnEnd runs its callback once per turn of the loop, after that turn's I/O callbacks.
#include "agent/turn_end.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace sluice {
namespace {

// A pipe with a byte in it: readable at once, so the loop's next turn has an I/O callback.
struct ReadablePipe {
  int fds[2];
  ReadablePipe() {
    EXPECT_EQ(pipe(fds), 0);
    EXPECT_EQ(write(fds[1], "x", 1), 1);
  }
  ~ReadablePipe() {
    close(fds[0]);
    close(fds[1]);
  }
};

TEST(TurnEnd, RunsOnceAfterTheTurnsIoCallbacksHoweverOftenArmed) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  std::string order;
  {
    TurnEnd end(&loop, [&] { order += "end;"; });
    ReadablePipe p;
    uv_poll_t poll;
    uv_poll_init(&loop, &poll, p.fds[0]);
    poll.data = &end;
    uv_poll_start(&poll, UV_READABLE, [](uv_poll_t* h, int, int) {
      auto* order = static_cast<std::string*>(uv_loop_get_data(h->loop));
      *order += "io;";
      static_cast<TurnEnd*>(h->data)->arm();
      static_cast<TurnEnd*>(h->data)->arm();
      *order += "io;";
      uv_poll_stop(h);
    });
    uv_loop_set_data(&loop, &order);
    uv_run(&loop, UV_RUN_ONCE);
    EXPECT_EQ(order, "io;io;end;");
    uv_run(&loop, UV_RUN_NOWAIT);  // nothing armed: it does not run again
    EXPECT_EQ(order, "io;io;end;");
    uv_close(reinterpret_cast<uv_handle_t*>(&poll), nullptr);
  }
  uv_run(&loop, UV_RUN_DEFAULT);  // the handles' close callbacks
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

TEST(TurnEnd, ArmedFromItsCallbackItRunsInTheNextTurn) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  int runs = 0;
  {
    TurnEnd* self = nullptr;
    TurnEnd end(&loop, [&] {
      if (++runs < 3) self->arm();
    });
    self = &end;
    end.arm();
    uv_run(&loop, UV_RUN_NOWAIT);
    EXPECT_EQ(runs, 1);
    uv_run(&loop, UV_RUN_NOWAIT);
    EXPECT_EQ(runs, 2);
    uv_run(&loop, UV_RUN_DEFAULT);  // returns once nothing is armed
    EXPECT_EQ(runs, 3);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

// Timers run before the loop polls for I/O: armed there, it must not wait for the next I/O.
TEST(TurnEnd, ArmedFromATimerItRunsWithoutWaitingForIo) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  struct Timers {
    uv_timer_t arming, far;
  } timers;
  int runs = 0;
  {
    TurnEnd end(&loop, [&] {
      ++runs;
      uv_timer_stop(&timers.far);  // nothing keeps the loop alive then
    });
    uv_timer_init(&loop, &timers.arming);
    uv_timer_init(&loop, &timers.far);
    timers.arming.data = &end;
    uv_timer_start(
        &timers.arming, [](uv_timer_t* t) { static_cast<TurnEnd*>(t->data)->arm(); }, 1, 0);
    uv_timer_start(
        &timers.far, [](uv_timer_t*) {}, 60'000, 0);
    const uint64_t start = uv_now(&loop);
    uv_run(&loop, UV_RUN_DEFAULT);
    EXPECT_EQ(runs, 1);
    EXPECT_LT(uv_now(&loop) - start, 30'000u) << "it waited for the far timer";
    uv_close(reinterpret_cast<uv_handle_t*>(&timers.arming), nullptr);
    uv_close(reinterpret_cast<uv_handle_t*>(&timers.far), nullptr);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

TEST(TurnEnd, DestroyedWhileArmedItNeverRuns) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  int runs = 0;
  {
    TurnEnd end(&loop, [&] { ++runs; });
    end.arm();
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

}  // namespace
}  // namespace sluice
