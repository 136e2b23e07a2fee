#include "tool/exit.hpp"

namespace cl::tool {

namespace {
// Severity for combining outcomes; usage never combines (decided before any work).
int rank(Exit e) {
  switch (e) {
    case Exit::ok:
      return 0;
    case Exit::failed:
      return 1;
    case Exit::timed_out:
      return 2;
    case Exit::unreachable:
      return 3;
    case Exit::usage:
      return 4;
  }
  return 1;
}
}  // namespace

Exit exit_for_transport(const util::Status& st) {
  switch (st.code()) {
    case util::Code::ok:
      return Exit::ok;
    case util::Code::unavailable:
      return Exit::unreachable;
    case util::Code::timeout:
      return Exit::timed_out;
    case util::Code::invalid_argument:
      return Exit::usage;
    default:
      return Exit::failed;
  }
}

Exit exit_for_item(const util::Status& st) {
  if (st.is_ok()) return Exit::ok;
  return st.code() == util::Code::timeout ? Exit::timed_out : Exit::failed;
}

void Outcome::raise(Exit e) {
  if (rank(e) > rank(worst_)) worst_ = e;
}

void Outcome::item(Exit e) {
  if (e == Exit::ok) {
    ++ok_count_;
    return;
  }
  ++failed_count_;
  raise(e);
}

void Outcome::fatal(Exit e) {
  raise(e == Exit::ok ? Exit::failed : e);
}

}  // namespace cl::tool
