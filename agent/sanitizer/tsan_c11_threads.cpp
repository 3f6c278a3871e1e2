// ThreadSanitizer builds only: C11 threads (<threads.h>) routed through pthreads.
// librdkafka starts its threads with thrd_create and synchronises with mtx_* and cnd_*. glibc
// implements these by calling its pthread functions internally, past ThreadSanitizer's
// interceptors: threads so started have no ThreadSanitizer state (they crash on their first
// allocation), and it cannot see their locks (every hand-over looks like a race). These
// definitions, in the executable, come before glibc's and call the intercepted pthread
// functions, exactly as glibc does otherwise (its mtx_t, cnd_t and thrd_t are pthread's).
#include <pthread.h>
#include <threads.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>

namespace {

struct Start {
  thrd_start_t fn;
  void* arg;
};

void* run(void* p) {
  const Start s = *static_cast<Start*>(p);
  std::free(p);
  return reinterpret_cast<void*>(static_cast<intptr_t>(s.fn(s.arg)));
}

int result(int rc) {
  switch (rc) {
    case 0:
      return thrd_success;
    case ETIMEDOUT:
      return thrd_timedout;
    case EBUSY:
      return thrd_busy;
    case ENOMEM:
    case EAGAIN:
      return thrd_nomem;
    default:
      return thrd_error;
  }
}

pthread_mutex_t* native(mtx_t* m) { return reinterpret_cast<pthread_mutex_t*>(m); }
pthread_cond_t* native(cnd_t* c) { return reinterpret_cast<pthread_cond_t*>(c); }

}  // namespace

extern "C" {

int thrd_create(thrd_t* thread, thrd_start_t fn, void* arg) {
  auto* s = static_cast<Start*>(std::malloc(sizeof(Start)));
  if (!s) return thrd_nomem;
  *s = {fn, arg};
  const int rc = pthread_create(thread, nullptr, run, s);
  if (rc != 0) std::free(s);
  return result(rc);
}

int thrd_join(thrd_t thread, int* res) {
  void* value = nullptr;
  const int rc = pthread_join(thread, &value);
  if (rc == 0 && res) *res = static_cast<int>(reinterpret_cast<intptr_t>(value));
  return result(rc);
}

int thrd_detach(thrd_t thread) { return result(pthread_detach(thread)); }

int mtx_init(mtx_t* m, int type) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
  if (type & mtx_recursive) pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
  const int rc = pthread_mutex_init(native(m), &attr);
  pthread_mutexattr_destroy(&attr);
  return result(rc);
}
void mtx_destroy(mtx_t* m) { pthread_mutex_destroy(native(m)); }
int mtx_lock(mtx_t* m) { return result(pthread_mutex_lock(native(m))); }
int mtx_trylock(mtx_t* m) { return result(pthread_mutex_trylock(native(m))); }
int mtx_timedlock(mtx_t* m, const struct timespec* until) {
  return result(pthread_mutex_timedlock(native(m), until));
}
int mtx_unlock(mtx_t* m) { return result(pthread_mutex_unlock(native(m))); }

int cnd_init(cnd_t* c) { return result(pthread_cond_init(native(c), nullptr)); }
void cnd_destroy(cnd_t* c) { pthread_cond_destroy(native(c)); }
int cnd_signal(cnd_t* c) { return result(pthread_cond_signal(native(c))); }
int cnd_broadcast(cnd_t* c) { return result(pthread_cond_broadcast(native(c))); }
int cnd_wait(cnd_t* c, mtx_t* m) { return result(pthread_cond_wait(native(c), native(m))); }
int cnd_timedwait(cnd_t* c, mtx_t* m, const struct timespec* until) {
  return result(pthread_cond_timedwait(native(c), native(m), until));
}

}  // extern "C"
