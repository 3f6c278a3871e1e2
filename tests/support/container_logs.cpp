#include "tests/support/container_logs.h"

#include <cstdio>
#include <random>

namespace sluice::test {
namespace {

const char* const kLevels[] = {"info", "info", "info", "debug", "warn", "error"};
const char* const kLoggers[] = {"com.shop.order.OrderService", "com.shop.payment.PaymentClient",
                                "com.shop.cart.CartController", "org.hibernate.SQL"};
const char* const kPaths[] = {"/api/orders", "/api/cart", "/api/payments", "/health"};
const char* const kFrames[] = {
    "com.shop.order.OrderService.place(OrderService.java:",
    "com.shop.order.OrderController.create(OrderController.java:",
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:",
    "java.base/java.lang.Thread.run(Thread.java:"};

}  // namespace

std::string container_log_line(uint64_t i) {
  std::minstd_rand rng(static_cast<uint32_t>(i * 2654435761u + 1));
  const auto pick = [&](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
  const unsigned ms = static_cast<unsigned>(i % 1000), sec = static_cast<unsigned>(i / 1000 % 60);
  char buf[512];
  int n = 0;
  switch (i % 10) {
    case 0:
    case 1:
    case 2:
    case 3:
      n = std::snprintf(
          buf, sizeof buf,
          "{\"ts\":\"2026-11-24T21:%02u:%02u.%03uZ\",\"level\":\"%s\",\"logger\":"
          "\"%s\",\"msg\":\"order %u placed\",\"user_id\":%u,\"trace_id\":\"%08x%08x\","
          "\"duration_ms\":%u}",
          sec / 2, sec, ms, kLevels[pick(6)], kLoggers[pick(4)], pick(1000000), pick(50000),
          static_cast<unsigned>(rng()), static_cast<unsigned>(rng()), pick(900));
      break;
    case 4:
    case 5:
    case 6:
      n = std::snprintf(buf, sizeof buf,
                        "10.%u.%u.%u - - [24/Nov/2026:21:%02u:%02u +0000] \"GET %s/%u HTTP/1.1\" "
                        "%u %u \"-\" \"okhttp/4.12.0\"",
                        pick(4), pick(256), pick(256), sec / 2, sec, kPaths[pick(4)], pick(100000),
                        pick(10) ? 200u : 503u, 200 + pick(4000));
      break;
    case 7:
      n = std::snprintf(buf, sizeof buf,
                        "java.lang.IllegalStateException: order %u has no items (cart %08x)",
                        pick(1000000), static_cast<unsigned>(rng()));
      break;
    default:
      n = std::snprintf(buf, sizeof buf, "\tat %s%u)", kFrames[pick(5)], 40 + pick(400));
      break;
  }
  return std::string(buf, static_cast<size_t>(n));
}

}  // namespace sluice::test
