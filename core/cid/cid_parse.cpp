// Text -> Cid: the /ipfs/ path form, the CIDv0 special case, multibase, then the binary rules.
#include <cctype>

#include "cid/cid.hpp"
#include "cid/detail.hpp"

namespace cl::cid {

namespace {
constexpr std::string_view kIpfsPrefix = "/ipfs/";
constexpr std::size_t kV0TextChars = 46;
}  // namespace

util::Result<CidPath> parse_ipfs_path(std::string_view text, ParseError* reason) {
  auto fail = [&](ParseError r, const std::string& why) -> util::Result<CidPath> {
    if (reason) *reason = r;
    return util::invalid_argument("invalid cid " + util::quote(text) + ": " + why);
  };
  if (text.empty()) return fail(ParseError::empty, "empty input");

  std::string_view cid_text = text;
  std::string_view path;
  if (text[0] == '/') {
    if (!text.starts_with(kIpfsPrefix)) {
      return fail(ParseError::not_ipfs_path,
                  text.starts_with("/ipns/")
                      ? "an /ipns/ name is not a cid; resolve it first (ipfs name resolve)"
                      : "a path must start with /ipfs/");
    }
    std::string_view rest = text.substr(kIpfsPrefix.size());
    std::size_t slash = rest.find('/');
    cid_text = rest.substr(0, slash);
    if (slash != std::string_view::npos) path = rest.substr(slash);
    if (cid_text.empty()) return fail(ParseError::empty, "no cid after '/ipfs/'");
  }
  if (cid_text.size() > kCidTextCharsMax) {
    return fail(ParseError::too_long, std::to_string(cid_text.size()) +
                                          " characters is longer than any cid (the limit is " +
                                          std::to_string(kCidTextCharsMax) + ")");
  }
  if (path.size() > kPathCharsMax) {
    return fail(ParseError::too_long, "the path after the cid is " + std::to_string(path.size()) +
                                          " characters, over the limit of " + std::to_string(kPathCharsMax));
  }
  const std::size_t cid_offset = static_cast<std::size_t>(cid_text.data() - text.data());

  util::Bytes bytes;
  if (cid_text.starts_with("Qm")) {
    // A CIDv0: base58btc without a multibase prefix. Characters first, so that a stray newline
    // is named as such rather than as a wrong length.
    if (auto err = base_decode(Multibase::base58btc, cid_text, bytes, cid_offset)) {
      return fail(err->reason, err->why);
    }
    if (cid_text.size() != kV0TextChars) {
      return fail(ParseError::v0_length,
                  "a cidv0 ('Qm...') is 46 characters, not " + std::to_string(cid_text.size()));
    }
  } else {
    auto base = multibase_from_prefix(cid_text[0]);
    if (!base) {
      std::string why = "unknown multibase prefix " + util::quote(cid_text.substr(0, 1));
      if (std::isspace(static_cast<unsigned char>(cid_text[0]))) {
        why += " (trim whitespace before parsing)";
      } else {
        why += " (supported: b B f F k K m u z, or a cidv0 'Qm...')";
      }
      return fail(ParseError::unknown_multibase, why);
    }
    if (cid_text.size() == 1) {
      return fail(ParseError::empty, "nothing after the multibase prefix " + util::quote(cid_text));
    }
    if (auto err = base_decode(*base, cid_text.substr(1), bytes, cid_offset + 1)) {
      return fail(err->reason, err->why);
    }
    if (static_cast<unsigned char>(bytes[0]) == 0x12) {
      return fail(ParseError::v0_multibase,
                  "decodes to a bare sha2-256 multihash (a cidv0), which cannot carry a multibase "
                  "prefix; write a cidv0 as 'Qm...' without a prefix");
    }
  }
  CidPath out;
  detail::Failure failure;
  if (!Cid::decode(bytes, out.cid, failure)) return fail(failure.reason, failure.why);
  out.path = std::string(path);
  if (reason) *reason = ParseError::none;
  return out;
}

util::Result<Cid> Cid::parse(std::string_view text, ParseError* reason) {
  auto parsed = parse_ipfs_path(text, reason);
  if (!parsed) return parsed.status();
  if (!parsed->path.empty() && parsed->path != "/") {
    if (reason) *reason = ParseError::has_path;
    return util::invalid_argument("invalid cid " + util::quote(text) + ": the path " +
                                  util::quote(parsed->path) +
                                  " after the cid names other content; give the bare cid or "
                                  "resolve the path first");
  }
  return std::move(parsed->cid);
}

}  // namespace cl::cid
