// What the API reads of the running agent.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "agent/component.h"
#include "config/loader.h"

namespace sluice::api {

class AgentState {
 public:
  virtual ~AgentState() = default;
  virtual std::vector<std::pair<std::string, const Input*>> inputs() const = 0;
  virtual std::vector<std::pair<std::string, const Output*>> outputs() const = 0;
  virtual const RingBuffer& buffer() const = 0;
  virtual const config::Config& config() const = 0;
  virtual const std::string& hostname() const = 0;
};

}  // namespace sluice::api
