#include "tool/input.hpp"

#include <cerrno>
#include <cstring>

namespace cl::tool {

std::string Origin::to_string() const {
  if (kind == Kind::argument) return "argument " + std::to_string(number);
  if (source.empty()) return "line " + std::to_string(number);
  return source + " line " + std::to_string(number);
}

std::string_view trim(std::string_view text) {
  constexpr std::string_view kBlanks = " \t\r\n\v\f";
  auto b = text.find_first_not_of(kBlanks);
  if (b == std::string_view::npos) return {};
  auto e = text.find_last_not_of(kBlanks);
  return text.substr(b, e - b + 1);
}

util::Result<Input> Input::from_args(std::vector<std::string> args, std::FILE* in, bool in_is_terminal) {
  std::size_t dashes = 0;
  for (const auto& a : args) dashes += a == "-" ? 1 : 0;
  if (dashes > 1) return util::invalid_argument("'-' (read stdin) is given more than once; give it once");
  Input input;
  input.stream_ = in;
  if (args.empty()) {
    if (in_is_terminal) {
      return util::invalid_argument("nothing to do: give the items as arguments, or pipe them on stdin");
    }
    args.push_back("-");
  }
  input.args_ = std::move(args);
  return input;
}

util::Result<Input> Input::from_file(const std::string& path, std::FILE* in) {
  Input input;
  input.from_stream_ = true;
  if (path.empty() || path == "-") {
    input.stream_ = in;
  } else {
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      return util::io_error("cannot open " + util::quote(path, 4096) + ": " + std::strerror(errno));
    }
    input.stream_ = f;
    input.owns_stream_ = true;
    input.source_ = path;
  }
  input.reader_ = std::make_unique<LineReader>(input.stream_, path.empty() || path == "-" ? "stdin" : path);
  return input;
}

Input::Input(Input&& o) noexcept
    : args_(std::move(o.args_)),
      next_arg_(o.next_arg_),
      from_stream_(o.from_stream_),
      stream_(o.stream_),
      owns_stream_(o.owns_stream_),
      source_(std::move(o.source_)),
      reader_(std::move(o.reader_)) {
  o.owns_stream_ = false;
  o.stream_ = nullptr;
}

Input& Input::operator=(Input&& o) noexcept {
  if (this != &o) {
    close_owned();
    args_ = std::move(o.args_);
    next_arg_ = o.next_arg_;
    from_stream_ = o.from_stream_;
    stream_ = o.stream_;
    owns_stream_ = o.owns_stream_;
    source_ = std::move(o.source_);
    reader_ = std::move(o.reader_);
    o.owns_stream_ = false;
    o.stream_ = nullptr;
  }
  return *this;
}

Input::~Input() {
  close_owned();
}

void Input::close_owned() {
  reader_.reset();
  if (owns_stream_ && stream_ != nullptr) std::fclose(stream_);
  owns_stream_ = false;
  stream_ = nullptr;
}

util::Result<std::optional<InputItem>> Input::next() {
  for (;;) {
    if (from_stream_) {
      auto line = reader_->next();
      switch (line.kind) {
        case LineReader::Kind::end:
          from_stream_ = false;
          break;
        case LineReader::Kind::error:
          from_stream_ = false;
          next_arg_ = args_.size();
          return line.error;
        case LineReader::Kind::too_long: {
          InputItem item{{Origin::Kind::line, source_, line.number}, std::move(line.text), {}};
          item.status =
              util::invalid_argument("line longer than " + std::to_string(kInputLineBytesMax) +
                                     " bytes, starting " + util::quote(item.text) + "; it was skipped");
          return std::optional<InputItem>(std::move(item));
        }
        case LineReader::Kind::line: {
          auto text = trim(line.text);
          if (text.empty() || text.front() == '#') continue;
          return std::optional<InputItem>(
              InputItem{{Origin::Kind::line, source_, line.number}, std::string(text), {}});
        }
      }
      continue;
    }
    if (next_arg_ >= args_.size()) return std::optional<InputItem>();
    std::size_t index = next_arg_++;
    if (args_[index] == "-") {
      from_stream_ = true;
      reader_ = std::make_unique<LineReader>(stream_, "stdin");
      continue;
    }
    return std::optional<InputItem>(
        InputItem{{Origin::Kind::argument, "", index + 1}, std::string(trim(args_[index])), {}});
  }
}

}  // namespace cl::tool
