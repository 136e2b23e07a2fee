#include <catch2/catch.hpp>
#include <cstdio>
#include <string>

#include "tool/input.hpp"
#include "tool/line_reader.hpp"

using namespace cl::tool;

namespace {
// A stream holding `text` (fmemopen over a copy the caller keeps alive).
struct Stream {
  explicit Stream(std::string t) : text(std::move(t)) { f = fmemopen(text.data(), text.size(), "r"); }
  ~Stream() { std::fclose(f); }
  std::string text;
  std::FILE* f;
};
std::vector<std::string> texts(Input& in) {
  std::vector<std::string> out;
  for (;;) {
    auto item = in.next();
    REQUIRE(item);
    if (!*item) return out;
    out.push_back((*item)->origin.to_string() + "=" + (*item)->text + ((*item)->status.is_ok() ? "" : "!"));
  }
}
}  // namespace

TEST_CASE("LineReader numbers every line, drops \\r, and takes a last line without \\n") {
  Stream s("a\r\n\nb\nc");
  LineReader r(s.f, "stdin");
  auto l1 = r.next();
  CHECK(l1.kind == LineReader::Kind::line);
  CHECK(l1.text == "a");
  CHECK(l1.number == 1);
  CHECK(r.next().text.empty());
  CHECK(r.next().text == "b");
  auto l4 = r.next();
  CHECK(l4.text == "c");
  CHECK(l4.number == 4);
  CHECK(r.next().kind == LineReader::Kind::end);
  CHECK(r.next().kind == LineReader::Kind::end);
}

TEST_CASE("LineReader reports a too-long line with its start and goes on after it") {
  std::string long_line(100'000, 'x');
  Stream s("short\n" + long_line + "\nafter\n");
  LineReader r(s.f, "stdin", 1000);
  CHECK(r.next().text == "short");
  auto l = r.next();
  CHECK(l.kind == LineReader::Kind::too_long);
  CHECK(l.number == 2);
  CHECK(l.text.size() <= 80);
  CHECK(l.text == std::string(l.text.size(), 'x'));
  auto after = r.next();
  CHECK(after.text == "after");
  CHECK(after.number == 3);
}

TEST_CASE("Input: arguments in order, '-' reads stdin in its place, blanks and comments skipped") {
  Stream s("  one  \n\n# comment\n\ttwo\n");
  auto in = Input::from_args({"a", "-", "b"}, s.f, false);
  REQUIRE(in);
  CHECK(texts(*in) == std::vector<std::string>{"argument 1=a", "line 1=one", "line 4=two", "argument 3=b"});
}

TEST_CASE("Input: no arguments reads stdin unless it is a terminal") {
  Stream s("x\n");
  auto piped = Input::from_args({}, s.f, false);
  REQUIRE(piped);
  CHECK(texts(*piped) == std::vector<std::string>{"line 1=x"});
  auto tty = Input::from_args({}, s.f, true);
  CHECK(tty.code() == cl::util::Code::invalid_argument);
  CHECK(Input::from_args({"-", "-"}, s.f, false).code() == cl::util::Code::invalid_argument);
}

TEST_CASE("Input: a line over the limit is an item with an error, not dropped") {
  Stream s("a\n" + std::string(kInputLineBytesMax + 10, 'z') + "\nb\n");
  auto in = Input::from_args({}, s.f, false);
  REQUIRE(in);
  auto items = texts(*in);
  REQUIRE(items.size() == 3);
  CHECK(items[1].starts_with("line 2=zzz"));
  CHECK(items[1].back() == '!');
  CHECK(items[2] == "line 3=b");
}

TEST_CASE("Input::from_file names the file in origins and in the open error") {
  auto missing = Input::from_file("/nonexistent/pins.jsonl", stdin);
  CHECK(missing.code() == cl::util::Code::io_error);
  CHECK_THAT(missing.status().message(), Catch::Contains("'/nonexistent/pins.jsonl'"));
}

TEST_CASE("trim removes blanks at both ends only") {
  CHECK(trim(" \t a b \r\n") == "a b");
  CHECK(trim("   ").empty());
}
