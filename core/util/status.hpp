#pragma once
// Status: the outcome of an operation that can fail in normal operation (bad input, not leader,
// timeout, IPFS unreachable). Broken invariants are not statuses: they use CL_ASSERT.
//
// Messages are lowercase, name the bad value and, where it helps, say what to do:
//   invalid_argument("invalid cid 'Qmfoo': not valid base58btc")
#include <cstdint>
#include <string>
#include <string_view>

namespace cl::util {

// Error codes. The numeric values travel on the local socket (api error.code): never renumber.
enum class Code : std::uint8_t {
  ok = 0,
  invalid_argument = 1,      // the caller's input is wrong; retrying it unchanged fails again
  not_found = 2,             // the named thing does not exist
  already_exists = 3,        // it exists and the caller asked to create it
  not_leader = 4,            // this peer cannot decide; ask the leader (message names it if known)
  unavailable = 5,           // a peer, the daemon or IPFS cannot be reached now; retry later
  timeout = 6,               // a deadline passed
  io_error = 7,              // disk or socket failure
  corrupt = 8,               // stored or received data fails validation
  cancelled = 9,             // the request was cancelled (client went away, shutdown)
  resource_exhausted = 10,   // a limit was hit: queue full, disk full, frame too large
  permission_denied = 11,    // file modes, wrong cluster secret, wrong peer
  failed_precondition = 12,  // the system is not in a state that allows this (e.g. read-only)
  internal = 13,             // a bug or an unexpected library error
};

// "invalid_argument", ... ; "unknown" for values outside the enum.
std::string_view code_name(Code code);
// Inverse of code_name; Code::internal for an unknown name.
Code code_from_name(std::string_view name);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  bool is_ok() const { return code_ == Code::ok; }
  explicit operator bool() const { return is_ok(); }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid_argument: invalid cid 'x': ..." ; "ok" when ok.
  std::string to_string() const;
  // Prefix the message with context: "reading config: <message>". Keeps the code.
  Status with_context(std::string_view context) const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  Code code_ = Code::ok;
  std::string message_;
};

inline Status invalid_argument(std::string m) {
  return {Code::invalid_argument, std::move(m)};
}
inline Status not_found(std::string m) {
  return {Code::not_found, std::move(m)};
}
inline Status already_exists(std::string m) {
  return {Code::already_exists, std::move(m)};
}
inline Status unavailable(std::string m) {
  return {Code::unavailable, std::move(m)};
}
inline Status timeout_error(std::string m) {
  return {Code::timeout, std::move(m)};
}
inline Status io_error(std::string m) {
  return {Code::io_error, std::move(m)};
}
inline Status corrupt(std::string m) {
  return {Code::corrupt, std::move(m)};
}
inline Status internal_error(std::string m) {
  return {Code::internal, std::move(m)};
}
inline Status permission_denied(std::string m) {
  return {Code::permission_denied, std::move(m)};
}
inline Status resource_exhausted(std::string m) {
  return {Code::resource_exhausted, std::move(m)};
}
inline Status failed_precondition(std::string m) {
  return {Code::failed_precondition, std::move(m)};
}

// Quote a user-supplied value for an error message: printable ASCII kept, others as \xNN,
// cut to max_chars with "..." so that a 10 MB line never becomes a 10 MB message.
std::string quote(std::string_view value, std::size_t max_chars = 80);

}  // namespace cl::util
