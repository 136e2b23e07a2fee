#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tool/output.hpp"

using namespace cl::tool;
using nlohmann::json;

namespace {
struct Capture {
  Capture() { f = open_memstream(&buf, &size); }
  ~Capture() {
    std::fclose(f);
    std::free(buf);
  }
  std::string text() {
    std::fflush(f);
    return std::string(buf, size);
  }
  char* buf = nullptr;
  std::size_t size = 0;
  std::FILE* f;
};
}  // namespace

TEST_CASE("json format writes one compact object per line as items come") {
  Capture c;
  Writer w(Format::json, {}, c.f);
  w.write(json{{"cid", "a"}, {"n", 1}});
  CHECK(c.text() == "{\"cid\":\"a\",\"n\":1}\n");
  w.write(json{{"cid", "b"}});
  w.finish();
  CHECK(c.text() == "{\"cid\":\"a\",\"n\":1}\n{\"cid\":\"b\"}\n");
  CHECK(w.rows() == 2);
}

TEST_CASE("text format aligns columns on the widest cell of the sample, with a header") {
  Capture c;
  {
    Writer w(Format::text,
             {field_column("CID", "cid"), field_column("NAME", "name"), field_column("TAGS", "tags")}, c.f);
    w.write(json{{"cid", "bafylongcid"}, {"name", "x"}, {"tags", {"a", "b"}}});
    w.write(json{{"cid", "Qm"}, {"tags", json::object({{"k", "v"}})}});
  }
  CHECK(c.text() ==
        "CID          NAME  TAGS\n"
        "bafylongcid  x     a,b\n"
        "Qm           -     k=v\n");
}

TEST_CASE("text format streams after the sample: later rows keep the widths and are never cut") {
  Capture c;
  Writer w(Format::text, {field_column("A", "a"), field_column("B", "b")}, c.f);
  for (std::size_t i = 0; i < Writer::kSampleRows; ++i) w.write(json{{"a", "x"}, {"b", "y"}});
  // The sample is out: the header and kSampleRows rows are printed before finish().
  auto before = c.text();
  CHECK(std::count(before.begin(), before.end(), '\n') == static_cast<long>(Writer::kSampleRows + 1));
  w.write(json{{"a", "much-longer"}, {"b", "z"}});
  w.finish();
  auto text = c.text();
  CHECK(text.ends_with("\nx  y\nmuch-longer  z\n"));
}

TEST_CASE("cell_text: strings bare, arrays joined, null and empty as '-'") {
  CHECK(cell_text("s") == "s");
  CHECK(cell_text(3) == "3");
  CHECK(cell_text(true) == "true");
  CHECK(cell_text(nullptr) == "-");
  CHECK(cell_text(json::array()) == "-");
  CHECK(cell_text(json::array({1, "a"})) == "1,a");
}
