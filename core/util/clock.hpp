#pragma once
// Clock: the only way core code reads time, so that tests and the simulator can drive it.
// monotonic() never goes backwards and is for timeouts and latencies; wall() is Unix time and is
// for timestamps people read (pin timestamps, expire_at).
#include <chrono>
#include <cstdint>

namespace cl::util {

using Nanos = std::chrono::nanoseconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Nanos monotonic() const = 0;
  virtual std::chrono::milliseconds wall() const = 0;  // since 1970-01-01T00:00:00Z
};

class SystemClock final : public Clock {
 public:
  Nanos monotonic() const override;
  std::chrono::milliseconds wall() const override;
  // A process-wide instance (stateless).
  static SystemClock& instance();
};

// A clock that moves only when told. Starts at monotonic 0 and the given wall time.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::chrono::milliseconds wall_start = std::chrono::milliseconds(1'700'000'000'000))
      : wall_start_(wall_start) {}
  Nanos monotonic() const override { return now_; }
  std::chrono::milliseconds wall() const override {
    return wall_start_ + std::chrono::duration_cast<std::chrono::milliseconds>(now_);
  }
  void advance(Nanos d) { now_ += d; }

 private:
  std::chrono::milliseconds wall_start_;
  Nanos now_{0};
};

}  // namespace cl::util
