#include "net/auth.hpp"

#include <catch2/catch.hpp>

#include "util/bytes.hpp"

using namespace cl::net;
using cl::util::Bytes;
using cl::util::to_hex;

namespace {
Bytes secret() {
  Bytes s;
  for (int i = 1; i <= 32; ++i) s.push_back(static_cast<char>(i));
  return s;
}
const Bytes kExporter(32, '\xaa');
}  // namespace

TEST_CASE("the proof is HMAC-SHA256(secret, context || role || exporter || peer id)") {
  // Expected values computed independently with Python's hmac module.
  CHECK(to_hex(make_proof(secret(), Role::dialer, kExporter, "12D3KooWtest")) ==
        "01bd3cda686f098c7a876000ba229fa6054ff48caa2f5f1f61dbdcb47c9969c5");
  CHECK(to_hex(make_proof(secret(), Role::listener, kExporter, "12D3KooWtest")) ==
        "29af76405a070c2c52254dd340f5843cfd1fb12038f364690bb4c4d5c454af04");
}

TEST_CASE("the proof changes with every input") {
  const Bytes base = make_proof(secret(), Role::dialer, kExporter, "peer-a");
  Bytes other_secret = secret();
  other_secret[31] ^= 1;
  Bytes other_exporter = kExporter;
  other_exporter[0] ^= 1;
  CHECK(base.size() == kProofBytes);
  CHECK(make_proof(other_secret, Role::dialer, kExporter, "peer-a") != base);
  CHECK(make_proof(secret(), Role::listener, kExporter, "peer-a") != base);
  CHECK(make_proof(secret(), Role::dialer, other_exporter, "peer-a") != base);
  CHECK(make_proof(secret(), Role::dialer, kExporter, "peer-b") != base);
  CHECK(make_proof(secret(), Role::dialer, kExporter, "peer-a") == base);
}

TEST_CASE("proofs_equal compares whole proofs") {
  const Bytes p = make_proof(secret(), Role::dialer, kExporter, "peer-a");
  Bytes q = p;
  CHECK(proofs_equal(p, q));
  q[31] ^= 0x80;
  CHECK_FALSE(proofs_equal(p, q));
  CHECK_FALSE(proofs_equal(p, p.substr(0, 31)));
  CHECK_FALSE(proofs_equal(p, ""));
}
