#pragma once
// Result<T>: a value or a non-ok Status. The project's std::expected (C++20 has none).
//
//   Result<Cid> r = Cid::parse(text);
//   if (!r) return r.status();          // propagate
//   use(*r);
//
// Accessing the value of an error result is a broken invariant (CL_ASSERT).
#include <type_traits>
#include <utility>
#include <variant>

#include "util/assert.hpp"
#include "util/status.hpp"

namespace cl::util {

template <class T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::remove_cv_t<T>, Status>, "use Status directly");

 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit on purpose
    CL_ASSERT(!std::get<Status>(v_).is_ok(), "Result built from an ok Status without a value");
  }

  bool is_ok() const { return v_.index() == 0; }
  explicit operator bool() const { return is_ok(); }

  T& value() & {
    check();
    return std::get<0>(v_);
  }
  const T& value() const& {
    check();
    return std::get<0>(v_);
  }
  T&& value() && {
    check();
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; an ok Status when this holds a value. A reference: valid while this Result lives.
  const Status& status() const {
    static const Status kOk;
    return is_ok() ? kOk : std::get<1>(v_);
  }
  Code code() const { return is_ok() ? Code::ok : std::get<1>(v_).code(); }
  T value_or(T other) const& { return is_ok() ? std::get<0>(v_) : std::move(other); }

 private:
  void check() const {
    if (!is_ok())
      ::cl::util::assert_fail("Result::value() on error", std::get<1>(v_).to_string().c_str(), __FILE__,
                              __LINE__);
  }
  std::variant<T, Status> v_;
};

}  // namespace cl::util

// Propagate a non-ok Status (or Result) from the current function.
#define CL_TRY_STATUS(expr)             \
  do {                                  \
    auto _cl_st = (expr);               \
    if (!_cl_st.is_ok()) return _cl_st; \
  } while (0)
