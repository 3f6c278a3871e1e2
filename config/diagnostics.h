// Config errors, each tied to the place in the file it is about.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sluice::config {

struct Position {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
};

struct Diagnostic {
  Position at;
  std::string message;
  std::string str() const;  // "FILE:LINE:COL: message"
};

class Diagnostics {
 public:
  void error(const Position& at, std::string message);
  bool ok() const { return list_.empty(); }
  const std::vector<Diagnostic>& list() const { return list_; }

 private:
  std::vector<Diagnostic> list_;
};

}  // namespace sluice::config
