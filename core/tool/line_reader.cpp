#include "tool/line_reader.hpp"

#include <cerrno>
#include <cstring>

#include "util/assert.hpp"

namespace cl::tool {

namespace {
constexpr std::size_t kReadChunkBytes = 64 * 1024;
// How much of a too-long line is kept for the error message.
constexpr std::size_t kTooLongPrefixBytes = 80;
}  // namespace

LineReader::LineReader(std::FILE* in, std::string name, std::size_t line_bytes_max)
    : in_(in), name_(std::move(name)), line_bytes_max_(line_bytes_max), buf_(kReadChunkBytes) {
  CL_ASSERT(in_ != nullptr, "LineReader needs a stream");
  CL_ASSERT(line_bytes_max_ >= 1, "line_bytes_max must be at least 1");
}

bool LineReader::fill() {
  if (eof_) return false;
  if (pos_ == end_) pos_ = end_ = 0;
  std::size_t n = std::fread(buf_.data() + end_, 1, buf_.size() - end_, in_);
  end_ += n;
  if (n == 0) {
    if (std::ferror(in_)) {
      error_ = util::io_error("cannot read " + name_ + ": " + std::strerror(errno));
    }
    eof_ = true;
    return false;
  }
  return true;
}

LineReader::Line LineReader::next() {
  Line out;
  if (!error_.is_ok() && eof_ && pos_ == end_) {
    out.kind = Kind::error;
    out.error = error_;
    error_ = util::Status::ok();
    return out;
  }
  bool too_long = false;
  bool any = false;  // saw at least one byte of this line (or its '\n')
  for (;;) {
    if (pos_ == end_) {
      // Keep the buffer at one chunk: the line accumulates in out.text, not here.
      pos_ = end_ = 0;
      if (!fill()) break;
    }
    const char* start = buf_.data() + pos_;
    std::size_t avail = end_ - pos_;
    const void* nl = std::memchr(start, '\n', avail);
    std::size_t take = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - start) : avail;
    any = true;
    if (!too_long) {
      if (out.text.size() + take > line_bytes_max_) {
        std::size_t keep = out.text.size() < kTooLongPrefixBytes ? kTooLongPrefixBytes - out.text.size() : 0;
        out.text.append(start, std::min(keep, take));
        out.text.resize(std::min(out.text.size(), kTooLongPrefixBytes));
        too_long = true;
      } else {
        out.text.append(start, take);
      }
    }
    pos_ += take;
    if (nl) {
      ++pos_;  // the '\n'
      break;
    }
  }
  if (!any) {
    if (!error_.is_ok()) {
      out.kind = Kind::error;
      out.error = error_;
      error_ = util::Status::ok();
      return out;
    }
    out.kind = Kind::end;
    return out;
  }
  out.number = ++number_;
  if (too_long) {
    out.kind = Kind::too_long;
    return out;
  }
  if (!out.text.empty() && out.text.back() == '\r') out.text.pop_back();
  out.kind = Kind::line;
  return out;
}

}  // namespace cl::tool
