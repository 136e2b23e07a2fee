// libFuzzer target for core/cid (see CMakeLists.txt here for how to build and run it).
// The input is tried as CID text, as a path, as CID bytes and as multibase text. Beyond not
// crashing: an accepted CID must round-trip through every printing and through its bytes, a
// rejection must carry a reason, and decoded multibase must re-encode to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "cid/cid.hpp"

using namespace cl;
using cid::Cid;
using cid::Multibase;
using cid::ParseError;

namespace {

constexpr Multibase kBases[] = {Multibase::base16,      Multibase::base16upper, Multibase::base32,
                                Multibase::base32upper, Multibase::base36,      Multibase::base36upper,
                                Multibase::base58btc,   Multibase::base64,      Multibase::base64url};

[[noreturn]] void broken(const char* what, std::string_view input) {
  std::fprintf(stderr, "cid_fuzz: %s; input %s\n", what, util::quote(input, 600).c_str());
  std::abort();
}

void check_accepted(const Cid& c, std::string_view input) {
  auto again = Cid::parse(c.to_string());
  if (!again || *again != c) broken("to_string -> parse changed the cid", input);
  for (Multibase base : kBases) {
    auto back = Cid::parse(c.to_string(base));
    Cid want = (c.version() == 0 && base != Multibase::base58btc) ? c.to_v1() : c;
    if (!back || *back != want) broken("to_string(base) -> parse changed the cid", input);
  }
  auto from = Cid::from_bytes(c.bytes());
  if (!from || *from != c) broken("bytes -> from_bytes changed the cid", input);
}

void check_rejected(ParseError reason, const util::Status& status, std::string_view input) {
  if (reason == ParseError::none) broken("rejected without a reason", input);
  if (status.code() != util::Code::invalid_argument) broken("rejected with another code", input);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  ParseError reason = ParseError::none;

  auto text = Cid::parse(input, &reason);
  if (text.is_ok()) {
    check_accepted(*text, input);
  } else {
    check_rejected(reason, text.status(), input);
  }

  auto path = cid::parse_ipfs_path(input, &reason);
  if (path.is_ok() && text.is_ok() && path->cid != *text) broken("parse and parse_ipfs_path disagree", input);

  auto bytes = Cid::from_bytes(input, &reason);
  if (bytes.is_ok()) {
    if (bytes->bytes() != input) broken("from_bytes kept other bytes", input);
    check_accepted(*bytes, input);
  } else {
    check_rejected(reason, bytes.status(), input);
  }

  auto decoded = cid::multibase_decode(input, &reason);
  if (decoded.is_ok()) {
    Multibase base = *cid::multibase_from_prefix(input[0]);
    auto back = cid::multibase_decode(cid::multibase_encode(base, *decoded));
    if (!back || *back != *decoded) broken("multibase re-encoding changed the bytes", input);
  }
  return 0;
}
