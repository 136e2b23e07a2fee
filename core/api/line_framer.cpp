#include "api/line_framer.hpp"

#include <algorithm>

#include "util/assert.hpp"

namespace cl::api {

namespace {
// After a long line, a buffer bigger than this is freed rather than kept for the next one.
constexpr std::size_t kKeepBytes = 64 * 1024;
constexpr std::size_t kMinGrowBytes = 256;

std::string_view strip_cr(std::string_view s) {
  if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
  return s;
}
}  // namespace

LineFramer::LineFramer(std::size_t line_bytes_max) : max_(line_bytes_max) {
  CL_ASSERT(line_bytes_max > 0, "line_bytes_max must be positive");
}

void LineFramer::release() {
  std::vector<char>().swap(held_);
  held_returned_ = false;
}

void LineFramer::reset_held() {
  held_.clear();
  held_returned_ = false;
  if (held_.capacity() > kKeepBytes) release();
}

void LineFramer::hold(std::string_view piece) {
  std::size_t needed = held_.size() + piece.size();
  CL_ASSERT(needed <= max_, "held line past line_bytes_max");
  if (needed > held_.capacity()) {
    std::size_t cap = std::max({needed, held_.capacity() * 2, kMinGrowBytes});
    held_.reserve(std::min(cap, max_));
  }
  held_.insert(held_.end(), piece.begin(), piece.end());
}

LineFramer::Event LineFramer::next(std::string_view& in) {
  if (held_returned_) reset_held();
  while (!in.empty()) {
    std::size_t nl = in.find('\n');
    if (discarding_) {
      if (nl == std::string_view::npos) {
        in = {};
        return {};
      }
      in.remove_prefix(nl + 1);
      discarding_ = false;
      continue;
    }
    if (nl == std::string_view::npos) {
      if (held_.size() + in.size() > max_) {
        reset_held();
        release();
        discarding_ = true;
        in = {};
        return {Kind::too_long, {}, ++line_no_};
      }
      hold(in);
      in = {};
      return {};
    }
    std::string_view piece = in.substr(0, nl);
    in.remove_prefix(nl + 1);
    ++line_no_;
    if (held_.size() + piece.size() > max_) {
      reset_held();
      release();
      return {Kind::too_long, {}, line_no_};
    }
    if (held_.empty()) return {Kind::line, strip_cr(piece), line_no_};
    hold(piece);
    held_returned_ = true;
    return {Kind::line, strip_cr(std::string_view(held_.data(), held_.size())), line_no_};
  }
  return {};
}

LineFramer::Event LineFramer::finish() {
  if (held_returned_) reset_held();
  if (discarding_ || held_.empty()) {
    discarding_ = false;
    return {};
  }
  held_returned_ = true;
  return {Kind::line, strip_cr(std::string_view(held_.data(), held_.size())), ++line_no_};
}

}  // namespace cl::api
