#pragma once
// Input: the items a command works on, from its arguments or from stdin (DESIGN.md):
//   - each argument is an item; the argument "-" stands for every line of stdin, in its place;
//   - with no arguments, stdin is read when it is not a terminal; on a terminal that is a usage
//     error (the tool would otherwise sit waiting for typing nobody intends).
// In stdin (or a file), blank lines and lines whose first non-blank character is '#' are skipped;
// the others are items, with surrounding blanks trimmed. A line over kInputLineBytesMax is an
// item with an error (its first bytes in the message): it is reported, not silently dropped.
//
// What an item's text means (a CID, a pin, a peer ID) is for the command to parse (items.hpp).
// Every item carries its origin, so a message can name it: "line 3", "argument 2", "pins.jsonl
// line 7".
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tool/line_reader.hpp"
#include "util/result.hpp"

namespace cl::tool {

struct Origin {
  enum class Kind { argument, line };
  Kind kind = Kind::line;
  std::string source;  // "" for stdin; a file's path otherwise (Kind::line only)
  std::uint64_t number = 0;
  // "argument 2", "line 3", "pins.jsonl line 3"
  std::string to_string() const;
};

struct InputItem {
  Origin origin;
  std::string text;     // trimmed
  util::Status status;  // not ok: the line could not be read as an item (too long); text is its start
};

class Input {
 public:
  // `args` as given on the command line. `in` is stdin (borrowed; not closed); `in_is_terminal`
  // says whether it is a terminal. invalid_argument (a usage error) when there are no arguments
  // and stdin is a terminal, or when "-" is given more than once.
  static util::Result<Input> from_args(std::vector<std::string> args, std::FILE* in, bool in_is_terminal);
  // Every line of one stream: a file (opened here, closed by Input) or stdin when path is "-" or
  // empty. io_error when the file cannot be opened (its message names the path).
  static util::Result<Input> from_file(const std::string& path, std::FILE* in);

  Input(Input&&) noexcept;
  Input& operator=(Input&&) noexcept;
  ~Input();

  // The next item, in order; nullopt when there are no more. A read error of the stream is
  // returned once as a failed status (and the input ends); items before it stay valid.
  util::Result<std::optional<InputItem>> next();

  // Lines of stdin or the file read so far (blank and comment lines included).
  std::uint64_t lines_read() const { return reader_ ? reader_->lines_read() : 0; }

 private:
  Input() = default;
  void close_owned();

  std::vector<std::string> args_;
  std::size_t next_arg_ = 0;
  bool from_stream_ = false;  // currently reading the stream (the "-" argument, or a file)
  std::FILE* stream_ = nullptr;
  bool owns_stream_ = false;
  std::string source_;  // "" for stdin
  std::unique_ptr<LineReader> reader_;
};

// Trim blanks (space, tab, \r, \n, \v, \f) from both ends.
std::string_view trim(std::string_view text);

}  // namespace cl::tool
