#pragma once
// LineReader: lines from a stream, each at most a fixed number of bytes, so that input of any
// size is read in bounded memory. A longer line is reported (with its first bytes, for the
// message) and skipped up to its '\n' without being stored.
//
// Lines are numbered from 1, blank ones included, as an editor counts them. The last line may
// lack its '\n'. A '\r' before the '\n' is dropped. The FILE* is borrowed: the caller keeps it
// open while the reader is used and closes it afterwards.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "util/status.hpp"

namespace cl::tool {

// The longest input line the tools accept (a pin with the most metadata is far below this).
inline constexpr std::size_t kInputLineBytesMax = std::size_t{1} << 20;

class LineReader {
 public:
  enum class Kind {
    line,      // text holds the line, without '\n' (and '\r')
    too_long,  // text holds the line's first bytes only; the rest was skipped
    end,       // no more lines
    error,     // reading failed; error holds why (io_error); no more lines
  };
  struct Line {
    Kind kind = Kind::end;
    std::uint64_t number = 0;
    std::string text;
    util::Status error;
  };

  // line_bytes_max >= 1; `name` names the stream in read errors ("stdin", a file path).
  explicit LineReader(std::FILE* in, std::string name, std::size_t line_bytes_max = kInputLineBytesMax);

  // The next line. After end or error, keeps returning end.
  Line next();
  std::uint64_t lines_read() const { return number_; }

 private:
  bool fill();  // read more into buf_; false at EOF or error (error_ set on error)

  std::FILE* in_;
  std::string name_;
  std::size_t line_bytes_max_;
  std::vector<char> buf_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::uint64_t number_ = 0;
  bool eof_ = false;
  util::Status error_;
};

}  // namespace cl::tool
