#pragma once
// Adapts the Raft core's Logger to spdlog ("raft: ..." lines).
#include <spdlog/logger.h>

#include <memory>

#include "raft/logger.hpp"

namespace cl::node {

class RaftLogAdapter final : public raft::Logger {
 public:
  explicit RaftLogAdapter(std::shared_ptr<spdlog::logger> log) : log_(std::move(log)) {}
  bool enabled(raft::LogLevel level) const override { return log_->should_log(to_spdlog(level)); }
  void log(raft::LogLevel level, std::string_view line) override {
    log_->log(to_spdlog(level), "raft: {}", line);
  }

 private:
  static spdlog::level::level_enum to_spdlog(raft::LogLevel level) {
    switch (level) {
      case raft::LogLevel::debug:
        return spdlog::level::debug;
      case raft::LogLevel::info:
        return spdlog::level::info;
      case raft::LogLevel::warning:
        return spdlog::level::warn;
      case raft::LogLevel::error:
        return spdlog::level::err;
    }
    return spdlog::level::info;
  }
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace cl::node
