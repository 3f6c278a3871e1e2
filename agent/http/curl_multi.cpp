#include "agent/http/curl_multi.h"

#include <algorithm>
#include <utility>

#include "agent/uv_handle.h"

namespace sluice::http {

// One polled socket of curl's.
struct CurlMulti::Socket {
  uv_poll_t* poll;
  CurlMulti* owner;
  curl_socket_t fd;
};

CurlMulti::CurlMulti(uv_loop_t* loop)
    : loop_(loop), multi_(curl_multi_init()), timer_(new_timer<uv_timer_t>(loop, this)) {
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti() {
  apply_deferred();
  for (auto& [easy, done] : transfers_) curl_multi_remove_handle(multi_, easy);
  transfers_.clear();
  curl_multi_cleanup(multi_);  // closes sockets: on_socket frees their polls
  close_handle(timer_);
}

void CurlMulti::add(CURL* easy, Done done) {
  transfers_[easy] = std::move(done);
  if (in_curl_) {
    to_add_.push_back(easy);
    return;
  }
  curl_multi_add_handle(multi_, easy);  // curl asks for a timeout at once, which starts it
}

void CurlMulti::cancel_and_free(CURL* easy) {
  const bool running = transfers_.erase(easy) > 0;
  auto queued = std::find(to_add_.begin(), to_add_.end(), easy);
  if (queued != to_add_.end()) {
    to_add_.erase(queued);
    curl_easy_cleanup(easy);
    return;
  }
  if (in_curl_) {
    to_free_.push_back(easy);
    return;
  }
  if (running) curl_multi_remove_handle(multi_, easy);
  curl_easy_cleanup(easy);
}

void CurlMulti::apply_deferred() {
  for (CURL* easy : std::exchange(to_free_, {})) {
    curl_multi_remove_handle(multi_, easy);
    curl_easy_cleanup(easy);
  }
  for (CURL* easy : std::exchange(to_add_, {})) curl_multi_add_handle(multi_, easy);
}

int CurlMulti::on_socket(CURL*, curl_socket_t s, int what, void* self_ptr, void* socket_data) {
  auto* self = static_cast<CurlMulti*>(self_ptr);
  auto* sock = static_cast<Socket*>(socket_data);
  if (what == CURL_POLL_REMOVE) {
    if (sock) {
      uv_poll_stop(sock->poll);
      close_handle(sock->poll);
      delete sock;
      curl_multi_assign(self->multi_, s, nullptr);
    }
    return 0;
  }
  if (!sock) {
    sock = new Socket{new uv_poll_t, self, s};
    uv_poll_init_socket(self->loop_, sock->poll, s);
    sock->poll->data = sock;
    curl_multi_assign(self->multi_, s, sock);
  }
  int events = 0;
  if (what & CURL_POLL_IN) events |= UV_READABLE;
  if (what & CURL_POLL_OUT) events |= UV_WRITABLE;
  uv_poll_start(sock->poll, events, [](uv_poll_t* p, int status, int ev) {
    auto* sk = static_cast<Socket*>(p->data);
    int flags = 0;
    if (status < 0) flags = CURL_CSELECT_ERR;
    if (ev & UV_READABLE) flags |= CURL_CSELECT_IN;
    if (ev & UV_WRITABLE) flags |= CURL_CSELECT_OUT;
    sk->owner->action(sk->fd, flags);
  });
  return 0;
}

int CurlMulti::on_timer(CURLM*, long timeout_ms, void* self_ptr) {
  auto* self = static_cast<CurlMulti*>(self_ptr);
  if (timeout_ms < 0) {
    uv_timer_stop(self->timer_);
    return 0;
  }
  // Curl asks for 0 ms to start work: run it on the next loop turn, never from inside curl.
  uv_timer_start(
      self->timer_,
      [](uv_timer_t* t) { static_cast<CurlMulti*>(t->data)->action(CURL_SOCKET_TIMEOUT, 0); },
      static_cast<uint64_t>(timeout_ms), 0);
  return 0;
}

void CurlMulti::action(curl_socket_t s, int events) {
  int still_running = 0;
  in_curl_ = true;
  curl_multi_socket_action(multi_, s, events, &still_running);
  in_curl_ = false;
  apply_deferred();
  collect_finished();
}

void CurlMulti::collect_finished() {
  int left = 0;
  while (CURLMsg* m = curl_multi_info_read(multi_, &left)) {
    if (m->msg != CURLMSG_DONE) continue;
    CURL* easy = m->easy_handle;
    const CURLcode result = m->data.result;
    curl_multi_remove_handle(multi_, easy);
    auto it = transfers_.find(easy);
    if (it == transfers_.end()) continue;
    Done done = std::move(it->second);
    transfers_.erase(it);
    done(result);  // may add new transfers
  }
}

}  // namespace sluice::http
