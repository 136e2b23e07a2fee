#include "cid/cid.hpp"

#include <ostream>

#include "cid/detail.hpp"

namespace cl::cid {

namespace {
constexpr unsigned char kSha256Code = 0x12;
constexpr unsigned char kSha256Bytes = 0x20;
constexpr std::size_t kV0Bytes = 34;

std::string hex_byte(unsigned char b) {
  return detail::hex_code(b);
}
}  // namespace

bool Cid::decode(util::BytesView bytes, Cid& out, detail::Failure& fail) {
  out = Cid();
  if (bytes.empty()) {
    fail = {ParseError::empty, "no bytes"};
    return false;
  }
  if (static_cast<unsigned char>(bytes[0]) == kSha256Code) {
    // Version 18 does not exist (the spec reserves it so): 0x12 first means a bare CIDv0.
    if (bytes.size() >= 2 && static_cast<unsigned char>(bytes[1]) != kSha256Bytes) {
      fail = {ParseError::v0_multihash,
              "a cidv0 must be a sha2-256 multihash with a 32-byte digest (0x12 0x20 ...), not 0x12 " +
                  hex_byte(static_cast<unsigned char>(bytes[1])) + " ..."};
      return false;
    }
    if (bytes.size() != kV0Bytes) {
      fail = {ParseError::v0_length, "a cidv0 is 34 bytes, not " + std::to_string(bytes.size())};
      return false;
    }
    out.bytes_ = bytes;
    out.version_ = 0;
    out.codec_ = Codec::dag_pb;
    out.hash_fn_ = HashFn::sha2_256;
    out.multihash_offset_ = 0;
    out.digest_offset_ = 2;
    return true;
  }
  std::size_t pos = 0;
  std::uint64_t version = 0, codec_code = 0;
  if (!detail::read_varint(bytes, pos, "cid version", version, fail)) return false;
  if (version != 1) {
    std::string v = std::to_string(version);
    fail = {ParseError::unknown_version,
            version == 0   ? "cid version 0 is never written out: a cidv0 is a bare sha2-256 multihash"
            : version <= 3 ? "cid version " + v + " is reserved; only version 1 follows a version number"
                           : "unknown cid version " + v};
    return false;
  }
  if (!detail::read_varint(bytes, pos, "codec", codec_code, fail)) return false;
  auto codec = codec_from_code(codec_code);
  if (!codec) {
    fail = {ParseError::unknown_codec, "unknown codec " + detail::hex_code(codec_code) +
                                           " (supported: raw, dag-pb, dag-cbor, libp2p-key, dag-json)"};
    return false;
  }
  detail::MultihashSpan span;
  if (!detail::read_multihash(bytes, pos, span, fail)) return false;
  out.bytes_ = bytes;
  out.version_ = 1;
  out.codec_ = *codec;
  out.hash_fn_ = span.fn;
  out.multihash_offset_ = static_cast<std::uint8_t>(pos);
  out.digest_offset_ = static_cast<std::uint8_t>(span.digest_offset);
  return true;
}

util::Result<Cid> Cid::from_bytes(util::BytesView bytes, ParseError* reason) {
  Cid cid;
  detail::Failure fail;
  if (decode(bytes, cid, fail)) {
    if (reason) *reason = ParseError::none;
    return cid;
  }
  if (reason) *reason = fail.reason;
  return util::invalid_argument("invalid cid bytes " + util::quote(util::to_hex(bytes)) + ": " + fail.why);
}

util::Result<Cid> Cid::v0(const Multihash& mh) {
  if (mh.fn() != HashFn::sha2_256) {
    return util::invalid_argument("a cidv0 needs a sha2-256 multihash, not " +
                                  std::string(hash_fn_name(mh.fn())) + "; use Cid::v1");
  }
  return *from_bytes(mh.bytes());
}

Cid Cid::v1(Codec codec, const Multihash& mh) {
  util::Bytes bytes;
  util::put_uvarint(bytes, 1);
  util::put_uvarint(bytes, static_cast<std::uint64_t>(codec));
  bytes += mh.bytes();
  return *from_bytes(bytes);  // valid by construction; a failure here is a bug
}

int Cid::version() const {
  CL_ASSERT(is_defined(), "version() of an undefined cid");
  return version_;
}

Codec Cid::codec() const {
  CL_ASSERT(is_defined(), "codec() of an undefined cid");
  return codec_;
}

HashFn Cid::hash_fn() const {
  CL_ASSERT(is_defined(), "hash_fn() of an undefined cid");
  return hash_fn_;
}

util::BytesView Cid::digest() const {
  CL_ASSERT(is_defined(), "digest() of an undefined cid");
  return util::BytesView(bytes_).substr(digest_offset_);
}

Multihash Cid::multihash() const {
  return *Multihash::from_digest(hash_fn(), digest());
}

util::BytesView Cid::multihash_bytes() const {
  CL_ASSERT(is_defined(), "multihash_bytes() of an undefined cid");
  return util::BytesView(bytes_).substr(multihash_offset_);
}

std::string Cid::to_string() const {
  if (!is_defined()) return "";
  if (version_ == 0) return base_encode(Multibase::base58btc, bytes_);
  return multibase_encode(Multibase::base32, bytes_);
}

std::string Cid::to_string(Multibase base) const {
  if (!is_defined()) return "";
  if (version_ == 0) {
    if (base == Multibase::base58btc) return base_encode(Multibase::base58btc, bytes_);
    return to_v1().to_string(base);
  }
  return multibase_encode(base, bytes_);
}

Cid Cid::to_v1() const {
  CL_ASSERT(is_defined(), "to_v1() of an undefined cid");
  if (version_ == 1) return *this;
  return v1(Codec::dag_pb, multihash());
}

bool same_multihash(const Cid& a, const Cid& b) {
  return a.multihash_bytes() == b.multihash_bytes();
}

std::ostream& operator<<(std::ostream& out, const Cid& cid) {
  return out << cid.to_string();
}

}  // namespace cl::cid
