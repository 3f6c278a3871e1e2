// Query parameters of API requests: decoded values, and the names a page does not know.
#include <gtest/gtest.h>

#include "agent/http/http_server.h"

namespace sluice::http {
namespace {

Request with_query(std::string query) {
  Request r;
  r.method = "GET";
  r.path = "/tail";
  r.query = std::move(query);
  return r;
}

TEST(HttpRequest, ParamsArePercentDecoded) {
  const Request r = with_query("app=%2Fshop%2Fweb&q=refund+7&input");
  EXPECT_EQ(r.param("app"), "/shop/web");
  EXPECT_EQ(r.param("input"), "");
  EXPECT_EQ(r.param("container"), "");
}

TEST(HttpRequest, UnknownParamNamesTheFirstOneNotKnown) {
  const Request r = with_query("app=%2Fx&contains=refund&other=1");
  EXPECT_EQ(r.unknown_param({"app", "q"}), "contains");
  EXPECT_EQ(r.unknown_param({"app", "contains", "other"}), "");
  EXPECT_EQ(with_query("").unknown_param({"app"}), "");
}

}  // namespace
}  // namespace sluice::http
