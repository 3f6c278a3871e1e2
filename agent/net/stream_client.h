// A client byte stream over TCP or TLS, driven by the libuv loop. It reports how many of the
// bytes it was given the peer's TCP stack has acknowledged, so that an output can count a
// record delivered only then and send again what a lost connection had not acknowledged.
// It also says how a connection ended: a peer that closes with unread bytes in its receive
// buffer resets the connection (Linux sends RST), while an orderly close (FIN) means the peer
// application read everything its TCP stack had acknowledged.
#pragma once

#include <uv.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/net/address.h"
#include "agent/net/tls.h"

namespace sluice::net {

// A TCP connect to a port on this host that nothing listens on can succeed with the kernel
// choosing that same port as the local one: the socket then talks to itself, and everything
// sent would be "acknowledged" and read back by us. True for such a socket.
bool connected_to_itself(int fd);

class StreamClient {
 public:
  struct Events {
    std::function<void()> connected;
    std::function<void()> progress;  // more bytes acknowledged, or room to send
    // Failed to connect, or lost; orderly when the peer closed after reading all it acknowledged.
    std::function<void(const std::string& why, bool orderly)> closed;
  };

  StreamClient(uv_loop_t* loop, Events events);
  ~StreamClient();
  StreamClient(const StreamClient&) = delete;
  StreamClient& operator=(const StreamClient&) = delete;

  // tls: null for plain TCP. The context must outlive the connection.
  void connect(const Address& address, TlsContext* tls, const std::string& server_name);
  void close();
  bool connected() const { return state_ == State::open; }

  // Queues bytes; they go out as the socket takes them. Offsets count from the connect.
  void send(std::string_view bytes);
  uint64_t acked() const { return plain_acked_; }           // bytes the peer acknowledged
  size_t unsent() const { return out_.size() - out_pos_; }  // bytes not yet in the kernel

 private:
  enum class State { idle, resolving, connecting, handshaking, open };

  void on_resolved(int status, addrinfo* res);
  void on_poll(int status, int events);
  void on_connect_ready();
  void handshake();
  void flush();
  // Writes what the socket takes now; `error` is set when it fails other than with EAGAIN.
  size_t write_some(const char* data, size_t size, std::string& error);
  void read_incoming();
  void update_acked();
  void pump_tls_output();
  void update_poll();
  void fail(const std::string& why, bool orderly = false);
  void teardown();

  uv_loop_t* loop_;
  Events events_;
  State state_ = State::idle;
  int fd_ = -1;
  uv_poll_t* poll_ = nullptr;
  int poll_events_ = 0;  // what poll_ watches
  uv_timer_t* ack_timer_ = nullptr;
  uv_getaddrinfo_t* resolver_ = nullptr;
  Address address_;
  std::unique_ptr<TlsSession> tls_;  // null for plain TCP
  std::string server_name_;
  std::string out_;  // bytes for the wire (ciphertext under TLS)
  size_t out_pos_ = 0;
  uint64_t wire_written_ = 0;  // wire bytes handed to the kernel
  uint64_t wire_queued_ = 0;   // wire bytes produced
  uint64_t plain_sent_ = 0;
  uint64_t plain_acked_ = 0;
  // Under TLS, where each plaintext offset ends on the wire.
  std::deque<std::pair<uint64_t, uint64_t>> marks_;  // (wire end, plain end)
};

}  // namespace sluice::net
