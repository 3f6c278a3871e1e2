#include "config/diagnostics.h"

namespace sluice::config {

std::string Diagnostic::str() const {
  if (at.line == 0) return at.file + ": " + message;
  return at.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " + message;
}

void Diagnostics::error(const Position& at, std::string message) {
  list_.push_back({at, std::move(message)});
}

}  // namespace sluice::config
