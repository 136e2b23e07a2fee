#include "cid/multihash.hpp"

#include <openssl/evp.h>

#include <array>

#include "cid/detail.hpp"

namespace cl::cid {

namespace {
struct Row {
  HashFn fn;
  std::string_view name;
  std::size_t digest_bytes;  // 0: any length up to kIdentityDigestBytesMax (identity)
};
constexpr std::array<Row, 4> kHashes = {{
    {HashFn::identity, "identity", 0},
    {HashFn::sha2_256, "sha2-256", 32},
    {HashFn::sha2_512, "sha2-512", 64},
    {HashFn::blake2b_256, "blake2b-256", 32},
}};

const Row* find_row(HashFn fn) {
  for (const auto& row : kHashes) {
    if (row.fn == fn) return &row;
  }
  return nullptr;
}

// Empty when `digest_bytes` fits fn, else why not (and the reason).
detail::Failure check_length(HashFn fn, std::uint64_t digest_bytes) {
  auto fixed = hash_digest_bytes(fn);
  if (!fixed) {
    if (digest_bytes <= kIdentityDigestBytesMax) return {};
    return {ParseError::digest_too_long, "identity digest of " + std::to_string(digest_bytes) +
                                             " bytes is over the limit of " +
                                             std::to_string(kIdentityDigestBytesMax)};
  }
  if (digest_bytes == *fixed) return {};
  return {ParseError::digest_length, std::string(hash_fn_name(fn)) + " digest must be " +
                                         std::to_string(*fixed) + " bytes, not " +
                                         std::to_string(digest_bytes)};
}
}  // namespace

std::string_view hash_fn_name(HashFn fn) {
  const Row* row = find_row(fn);
  return row ? row->name : std::string_view("unknown");
}

std::optional<HashFn> hash_fn_from_code(std::uint64_t code) {
  for (const auto& row : kHashes) {
    if (static_cast<std::uint64_t>(row.fn) == code) return row.fn;
  }
  return std::nullopt;
}

std::optional<HashFn> hash_fn_from_name(std::string_view name) {
  for (const auto& row : kHashes) {
    if (row.name == name) return row.fn;
  }
  return std::nullopt;
}

std::optional<std::size_t> hash_digest_bytes(HashFn fn) {
  const Row* row = find_row(fn);
  if (!row || row->digest_bytes == 0) return std::nullopt;
  return row->digest_bytes;
}

namespace detail {

std::string hex_code(std::uint64_t code) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[code & 15]);
    code >>= 4;
  } while (code != 0);
  if (digits.size() % 2) digits.insert(digits.begin(), '0');
  return "0x" + digits;
}

bool read_varint(util::BytesView in, std::size_t& pos, std::string_view what, std::uint64_t& out,
                 Failure& fail) {
  std::size_t at = pos;
  if (auto v = util::get_uvarint(in, at)) {
    out = *v;
    pos = at;
    return true;
  }
  // get_uvarint does not say why; tell the cases apart for the message and the reason.
  std::size_t n = 0;
  while (pos + n < in.size() && n < 9 && (static_cast<unsigned char>(in[pos + n]) & 0x80)) ++n;
  std::string where = std::string(what) + " at byte " + std::to_string(pos);
  if (n == 9) {
    fail = {ParseError::bad_varint, "varint " + where + " is longer than 9 bytes"};
  } else if (pos + n >= in.size()) {
    fail = {ParseError::truncated_varint,
            pos >= in.size() ? "input ends before the " + where : "input ends inside the varint " + where};
  } else {
    fail = {ParseError::bad_varint, "varint " + where + " is not minimally encoded"};
  }
  return false;
}

bool read_multihash(util::BytesView in, std::size_t pos, MultihashSpan& out, Failure& fail) {
  std::uint64_t code = 0, length = 0;
  if (!read_varint(in, pos, "multihash function", code, fail)) return false;
  auto fn = hash_fn_from_code(code);
  if (!fn) {
    fail = {ParseError::unknown_hash, "unknown multihash function " + hex_code(code) +
                                          " (supported: identity, sha2-256, sha2-512, blake2b-256)"};
    return false;
  }
  if (!read_varint(in, pos, "digest length", length, fail)) return false;
  if (fail = check_length(*fn, length); fail.reason != ParseError::none) return false;
  std::size_t left = in.size() - pos;
  if (left < length) {
    fail = {ParseError::truncated_digest, std::string(hash_fn_name(*fn)) + " digest declares " +
                                              std::to_string(length) + " bytes but only " +
                                              std::to_string(left) + " follow"};
    return false;
  }
  if (left > length) {
    fail = {ParseError::trailing_bytes,
            std::to_string(left - length) + " unexpected bytes after the multihash"};
    return false;
  }
  out = {*fn, pos, static_cast<std::size_t>(length)};
  return true;
}

}  // namespace detail

util::Result<Multihash> Multihash::from_digest(HashFn fn, util::BytesView digest) {
  if (!find_row(fn)) {
    return util::invalid_argument("unknown multihash function " +
                                  detail::hex_code(static_cast<std::uint64_t>(fn)));
  }
  if (auto fail = check_length(fn, digest.size()); fail.reason != ParseError::none) {
    return util::invalid_argument("invalid multihash digest: " + fail.why);
  }
  return Multihash(fn, util::Bytes(digest));
}

util::Result<Multihash> Multihash::compute(HashFn fn, util::BytesView data) {
  const EVP_MD* md = nullptr;
  switch (fn) {
    case HashFn::identity:
      return from_digest(fn, data);
    case HashFn::sha2_256:
      md = EVP_sha256();
      break;
    case HashFn::sha2_512:
      md = EVP_sha512();
      break;
    default:
      return util::invalid_argument("cannot hash with " + std::string(hash_fn_name(fn)) +
                                    ": only identity, sha2-256 and sha2-512 are computed here");
  }
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int out_bytes = 0;
  int ok = EVP_Digest(data.data(), data.size(), out, &out_bytes, md, nullptr);
  CL_ASSERT(ok == 1, "EVP_Digest failed for a built-in digest");
  return Multihash(fn, util::Bytes(reinterpret_cast<const char*>(out), out_bytes));
}

Multihash Multihash::sha2_256(util::BytesView data) {
  return *compute(HashFn::sha2_256, data);
}

util::Result<Multihash> Multihash::from_bytes(util::BytesView bytes, ParseError* reason) {
  detail::MultihashSpan span;
  detail::Failure fail;
  if (bytes.empty()) fail = {ParseError::empty, "no bytes"};
  if (fail.reason == ParseError::none && detail::read_multihash(bytes, 0, span, fail)) {
    if (reason) *reason = ParseError::none;
    return Multihash(span.fn, util::Bytes(bytes.substr(span.digest_offset, span.digest_bytes)));
  }
  if (reason) *reason = fail.reason;
  return util::invalid_argument("invalid multihash " + util::quote(util::to_hex(bytes)) + ": " + fail.why);
}

util::Bytes Multihash::bytes() const {
  util::Bytes out;
  out.reserve(digest_.size() + 4);
  util::put_uvarint(out, static_cast<std::uint64_t>(fn_));
  util::put_uvarint(out, digest_.size());
  out += digest_;
  return out;
}

}  // namespace cl::cid
