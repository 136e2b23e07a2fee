#include "pin/pin.hpp"

namespace cl::pin {

std::string_view mode_name(Mode mode) {
  return mode == Mode::direct ? "direct" : "recursive";
}

util::Result<Mode> parse_mode(std::string_view text) {
  if (text == "recursive") return Mode::recursive;
  if (text == "direct") return Mode::direct;
  return util::invalid_argument("invalid mode " + util::quote(text) + ": use recursive or direct");
}

bool Pin::same_options(const Pin& o) const {
  return cid == o.cid && name == o.name && mode == o.mode && rmin == o.rmin && rmax == o.rmax &&
         user_allocations == o.user_allocations && metadata == o.metadata && expire_at_ms == o.expire_at_ms;
}

util::Status validate(const Pin& p) {
  if (!p.cid.is_defined()) return util::invalid_argument("missing cid");
  const std::string who = "pin " + p.cid.to_string() + ": ";
  if (p.name.size() > kNameBytesMax) {
    return util::invalid_argument(who + "name of " + std::to_string(p.name.size()) +
                                  " bytes is longer than " + std::to_string(kNameBytesMax));
  }
  auto factor_ok = [](int f) { return f >= -1 && f <= kReplicationMax; };
  if (!factor_ok(p.rmin)) {
    return util::invalid_argument(who + "invalid replication_factor_min " + std::to_string(p.rmin) +
                                  " (use -1 for every peer, or 1.." + std::to_string(kReplicationMax) + ")");
  }
  if (!factor_ok(p.rmax)) {
    return util::invalid_argument(who + "invalid replication_factor_max " + std::to_string(p.rmax) +
                                  " (use -1 for every peer, or 1.." + std::to_string(kReplicationMax) + ")");
  }
  if (p.rmax != -1 && p.rmin != 0 && (p.rmin == -1 || p.rmin > p.rmax)) {
    return util::invalid_argument(who + "replication_factor_min " + std::to_string(p.rmin) +
                                  " is more than replication_factor_max " + std::to_string(p.rmax));
  }
  if (p.user_allocations.size() > kAllocationsMax || p.allocations.size() > kAllocationsMax) {
    return util::invalid_argument(who + "more than " + std::to_string(kAllocationsMax) + " allocations");
  }
  if (p.metadata.size() > kMetadataKeysMax) {
    return util::invalid_argument(who + std::to_string(p.metadata.size()) + " metadata keys, more than " +
                                  std::to_string(kMetadataKeysMax));
  }
  for (const auto& [k, v] : p.metadata) {
    if (k.empty() || k.size() > kMetadataKeyBytesMax) {
      return util::invalid_argument(who + "invalid metadata key " + util::quote(k) + " (1.." +
                                    std::to_string(kMetadataKeyBytesMax) + " bytes)");
    }
    if (v.size() > kMetadataValueBytesMax) {
      return util::invalid_argument(who + "metadata value of " + util::quote(k) + " is longer than " +
                                    std::to_string(kMetadataValueBytesMax) + " bytes");
    }
  }
  if (p.expire_at_ms < 0) return util::invalid_argument(who + "invalid expire_at");
  return util::Status::ok();
}

}  // namespace cl::pin
