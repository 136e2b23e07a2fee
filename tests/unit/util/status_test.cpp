#include <catch2/catch.hpp>

#include "util/result.hpp"

using namespace cl::util;

namespace {
Result<int> half(int x) {
  if (x % 2 != 0) return invalid_argument("odd number " + std::to_string(x));
  return x / 2;
}
Status use_half(int x, int& out) {
  auto r = half(x);
  if (!r) return r.status().with_context("halving");
  out = *r;
  return Status::ok();
}
}  // namespace

TEST_CASE("Result carries a value or an error") {
  auto good = half(8);
  REQUIRE(good.is_ok());
  CHECK(*good == 4);
  CHECK(good.status().is_ok());
  auto bad = half(3);
  REQUIRE_FALSE(bad.is_ok());
  CHECK(bad.code() == Code::invalid_argument);
  CHECK(bad.status().to_string() == "invalid_argument: odd number 3");
  CHECK(bad.value_or(-1) == -1);
}

TEST_CASE("with_context prefixes the message and keeps the code") {
  int out = 0;
  auto st = use_half(5, out);
  CHECK(st.code() == Code::invalid_argument);
  CHECK(st.message() == "halving: odd number 5");
  CHECK(use_half(6, out).is_ok());
  CHECK(out == 3);
}

TEST_CASE("code names round-trip") {
  for (int i = 0; i <= static_cast<int>(Code::internal); ++i) {
    auto c = static_cast<Code>(i);
    CHECK(code_from_name(code_name(c)) == c);
  }
  CHECK(code_name(Code::not_leader) == "not_leader");
}

TEST_CASE("quote shows bad input safely and bounded") {
  CHECK(quote("Qmfoo") == "'Qmfoo'");
  CHECK(quote(std::string("a\nb\x01", 4)) == "'a\\x0ab\\x01'");
  std::string big(10'000'000, 'x');
  auto q = quote(big);
  CHECK(q.size() < 100);
  CHECK_THAT(q, Catch::EndsWith("...'"));
}
