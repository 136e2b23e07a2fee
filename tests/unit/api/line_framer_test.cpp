#include "api/line_framer.hpp"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "util/rng.hpp"

using namespace cl;
using namespace cl::api;

namespace {

// "L3:text" for a line, "T3" for too_long: easy to compare as a whole.
std::vector<std::string> feed(LineFramer& f, const std::vector<std::string>& chunks, bool finish = false) {
  std::vector<std::string> out;
  auto note = [&](const LineFramer::Event& ev) {
    if (ev.kind == LineFramer::Kind::line)
      out.push_back("L" + std::to_string(ev.line_no) + ":" + std::string(ev.line));
    if (ev.kind == LineFramer::Kind::too_long) out.push_back("T" + std::to_string(ev.line_no));
  };
  for (const auto& c : chunks) {
    std::string_view in(c);
    while (!in.empty()) {
      note(f.next(in));
      CHECK(f.buffer_capacity() <= f.line_bytes_max());
    }
  }
  if (finish) note(f.finish());
  return out;
}

}  // namespace

TEST_CASE("framer: lines in one chunk, empty lines counted, \\r stripped") {
  LineFramer f(100);
  CHECK(feed(f, {"a\nbb\r\n\nccc\n"}) == std::vector<std::string>{"L1:a", "L2:bb", "L3:", "L4:ccc"});
  CHECK(f.lines() == 4);
  CHECK(f.buffer_capacity() == 0);  // whole lines are views, nothing held
}

TEST_CASE("framer: every split point and random chunkings give the same lines") {
  const std::string text = "{\"id\":1}\n\nsecond line\r\nthird\n";
  const std::vector<std::string> want = {"L1:{\"id\":1}", "L2:", "L3:second line", "L4:third"};
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    LineFramer f(64);
    INFO("cut at " << cut);
    CHECK(feed(f, {text.substr(0, cut), text.substr(cut)}) == want);
  }
  util::Rng rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> chunks;
    for (std::size_t pos = 0; pos < text.size();) {
      std::size_t len = 1 + rng.below(6);
      chunks.push_back(text.substr(pos, len));
      pos += len;
    }
    LineFramer f(64);
    CHECK(feed(f, chunks) == want);
  }
}

TEST_CASE("framer: a line of exactly line_bytes_max passes, one more byte is too long") {
  LineFramer f(8);
  CHECK(feed(f, {"12345678\n", "123456789\n", "ok\n"}) ==
        std::vector<std::string>{"L1:12345678", "T2", "L3:ok"});
  LineFramer g(8);
  CHECK(feed(g, {"1234", "5678", "\n"}) == std::vector<std::string>{"L1:12345678"});
  LineFramer h(8);
  CHECK(feed(h, {"1234", "56789", "abc\nok\n"}) == std::vector<std::string>{"T1", "L2:ok"});
}

TEST_CASE("framer: an overlong line is reported once and skipped to its newline without holding it") {
  LineFramer f(1 << 20);
  std::vector<std::string> chunks;
  chunks.push_back("first\n");
  const std::string block(64 * 1024, 'x');
  for (int i = 0; i < 160; ++i) chunks.push_back(block);  // a 10 MiB line
  chunks.push_back("tail of the long line\nnext\n");
  CHECK(feed(f, chunks) == std::vector<std::string>{"L1:first", "T2", "L3:next"});
  CHECK(f.buffer_capacity() <= (1u << 20));
}

TEST_CASE("framer: the buffer of a long held line is freed afterwards") {
  LineFramer f(1 << 20);
  const std::string half(300 * 1024, 'y');
  auto got = feed(f, {half, half + "\n", "small\n"});
  REQUIRE(got.size() == 2);
  CHECK(got[0].size() == 3 + 2 * half.size());
  CHECK(got[1] == "L2:small");
  CHECK(f.buffer_capacity() <= 64 * 1024);
}

TEST_CASE("framer: finish returns the unterminated last line, but not a discarded one") {
  LineFramer f(16);
  CHECK(feed(f, {"a\nlast"}, true) == std::vector<std::string>{"L1:a", "L2:last"});
  LineFramer g(4);
  CHECK(feed(g, {"a\n0123456789"}, true) == std::vector<std::string>{"L1:a", "T2"});
  LineFramer h(4);
  CHECK(feed(h, {"a\n"}, true) == std::vector<std::string>{"L1:a"});
}
