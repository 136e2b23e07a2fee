#pragma once
// Pin: one entry of the replicated pinset, with IPFS Cluster's concepts and JSON names.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cid/cid.hpp"
#include "util/result.hpp"

namespace cl::pin {

enum class Mode : std::uint8_t { recursive = 0, direct = 1 };
std::string_view mode_name(Mode mode);  // "recursive" | "direct"
util::Result<Mode> parse_mode(std::string_view text);

// Limits on what one pin may carry (validated on entry, so the log never holds more).
inline constexpr std::size_t kNameBytesMax = 1024;
inline constexpr std::size_t kMetadataKeysMax = 64;
inline constexpr std::size_t kMetadataKeyBytesMax = 256;
inline constexpr std::size_t kMetadataValueBytesMax = 4096;
inline constexpr std::size_t kAllocationsMax = 1024;
inline constexpr int kReplicationMax = 1024;

struct Pin {
  cid::Cid cid;
  std::string name;
  Mode mode = Mode::recursive;
  // Replication factors: -1 means "on every peer". In a stored pin both are resolved (never 0);
  // in a request 0 means "the cluster's default".
  int rmin = -1;
  int rmax = -1;
  std::vector<std::string> allocations;       // peers that must pin it (sorted); empty when rmin == -1
  std::vector<std::string> user_allocations;  // peers the user asked for, tried first
  std::map<std::string, std::string> metadata;
  std::int64_t expire_at_ms = 0;  // Unix ms; 0: never
  std::int64_t timestamp_ms = 0;  // Unix ms when the leader accepted it
  cid::Cid pin_update_from;       // undefined unless made by pin.update
  std::uint64_t size_bytes = 0;   // 0: unknown

  // True when everything the user chose is equal (not allocations, timestamp or size):
  // adding the same CID with the same options again changes nothing.
  bool same_options(const Pin& other) const;
  bool everywhere() const { return rmin == -1; }
  friend bool operator==(const Pin&, const Pin&) = default;
};

// Checks the user-chosen fields against the limits above and each other (rmin <= rmax unless
// rmax is -1, factors in [-1, kReplicationMax]). Errors name the field and the value.
util::Status validate(const Pin& pin);

}  // namespace cl::pin
