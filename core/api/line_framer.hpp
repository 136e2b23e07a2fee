#pragma once
// LineFramer: cuts a byte stream into '\n'-terminated lines with a hard limit on line length and
// on the memory it holds. Pure (no I/O), so it is table-tested on its own.
//
// A line that is complete inside the chunk handed to next() is returned as a view into that chunk
// (no copy). Only a line split across chunks is copied into the framer's own buffer, which never
// grows past line_bytes_max. A line longer than the limit is reported once (too_long) as soon as
// the limit is passed; the rest of it, up to and including its '\n', is skipped without being
// stored. Line numbers count every line, long or empty, from 1. A trailing '\r' is stripped.
#include <cstdint>
#include <string_view>
#include <vector>

namespace cl::api {

class LineFramer {
 public:
  enum class Kind { need_more, line, too_long };
  struct Event {
    Kind kind = Kind::need_more;
    std::string_view line;      // Kind::line: valid until the next call on this framer
    std::uint64_t line_no = 0;  // Kind::line and Kind::too_long
  };

  // line_bytes_max: the longest accepted line, without its '\n'; must be > 0.
  explicit LineFramer(std::size_t line_bytes_max);

  // Consume bytes from the front of `in` (advancing it) until one line or one too_long event;
  // need_more when `in` was used up without completing a line.
  Event next(std::string_view& in);
  // At end of input: the last line if it had no '\n' (Kind::line), otherwise need_more.
  Event finish();

  // Bytes allocated for a partially received line (never more than line_bytes_max).
  std::size_t buffer_capacity() const { return held_.capacity(); }
  std::uint64_t lines() const { return line_no_; }
  std::size_t line_bytes_max() const { return max_; }
  // Free the partial-line buffer (on close).
  void release();

 private:
  void hold(std::string_view piece);
  void reset_held();

  std::size_t max_;
  std::vector<char> held_;  // vector: reserve() allocates exactly what is asked, so the cap holds
  bool held_returned_ = false;
  bool discarding_ = false;
  std::uint64_t line_no_ = 0;
};

}  // namespace cl::api
