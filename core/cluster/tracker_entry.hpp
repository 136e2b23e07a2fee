#pragma once
// Internal to the pin tracker (tracker.hpp): the record of one pin in a non-steady state, and the
// fingerprints a reconcile uses to compare IPFS's pins with the pinset without holding CIDs.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "cid/cid.hpp"
#include "cluster/tracker_types.hpp"
#include "ipfs/types.hpp"
#include "pin/pin.hpp"
#include "util/clock.hpp"

namespace cl::cluster::detail {

// What the tracker wants IPFS to do with a CID.
enum class Op : std::uint8_t { pin, unpin };

// retry_at of an operation that is not retried by itself (attempts_max reached, or an error that
// retrying cannot fix): only recover() queues it again.
inline constexpr util::Nanos kNever = util::Nanos::max();

// One CID the tracker is working on or that failed. Steady pins (pinned, remote, unpinned) have
// none. About 250 bytes with its map node and CID, plus its error text (memory test: 354 bytes
// per pin_error entry with a 90-character message).
struct Entry {
  ipfs::CancelFlag* cancel = nullptr;  // the running worker's flag, while in_flight (not owned)
  util::Nanos retry_at{0};             // monotonic: not queued before; kNever: only by recover()
  std::int64_t timestamp_ms = 0;       // wall clock when status was set
  std::string error;                   // for pin_error / unpin_error
  std::uint32_t generation = 0;        // bumped when the wanted operation changes
  std::uint32_t seen_epoch = 0;        // the last reconcile that found the CID in the pinset
  std::uint16_t attempts = 0;          // IPFS calls made for the current operation
  Op op = Op::pin;
  pin::Mode mode = pin::Mode::recursive;  // for Op::pin
  TrackerStatus status = TrackerStatus::pin_queued;
  bool queued = false;     // its CID is in one of the two work queues
  bool in_flight = false;  // a worker is running its IPFS call
  bool bulk = false;       // found by a reconcile: goes to the normal queue
  bool counted = false;    // the CID is included in pinned_count() (pinned here, as far as known)
};

// A seeded 64-bit fingerprint of the CID's CIDv1 form: a CIDv0 and the CIDv1 dag-pb of the same
// multihash get the same fingerprint (js-ipfs lists pins as CIDv1 in base58btc, the pinset may
// hold either form). Distinct CIDs collide with probability about 2^-64 per pair; a reconcile
// draws a fresh seed, so a collision never lasts beyond one reconcile.
std::uint64_t fingerprint(const cid::Cid& cid, std::uint64_t seed);

// A set of fingerprints: append, then seal() (sort) once, then contains(). 8 bytes per element.
class FingerprintSet {
 public:
  void add(std::uint64_t fp) { v_.push_back(fp); }
  void seal();
  bool contains(std::uint64_t fp) const;
  std::size_t size() const { return v_.size(); }
  std::size_t bytes() const { return v_.capacity() * sizeof(std::uint64_t); }

 private:
  std::vector<std::uint64_t> v_;
};

}  // namespace cl::cluster::detail
