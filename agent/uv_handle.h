// libuv handles must outlive their close callback; these own them on the heap accordingly.
#pragma once

#include <uv.h>

namespace sluice {

template <class T>
T* new_timer(uv_loop_t* loop, void* data) {
  auto* t = new uv_timer_t;
  uv_timer_init(loop, t);
  t->data = data;
  return t;
}

// Closes and frees the handle after the loop is done with it; nulls the pointer.
template <class T>
void close_handle(T*& h) {
  if (!h) return;
  uv_close(reinterpret_cast<uv_handle_t*>(h),
           [](uv_handle_t* p) { delete reinterpret_cast<T*>(p); });
  h = nullptr;
}

}  // namespace sluice
