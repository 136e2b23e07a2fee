#pragma once
// Which of two authenticated connections to the same peer carries the link. Both sides must pick
// the same one without talking, from what both know: who dialed each connection.
//
//  - Both dialed by the same side: the newer. That side dials only when it has no link, so it
//    already dropped the older one (the other side may not have noticed yet).
//  - Dialed by different sides (both dialed at once): the one dialed by the lower peer ID.
#include <string>

namespace cl::net {

// True when the new connection should replace the existing one. *_dialed_by_self: this side
// dialed that connection.
inline bool new_link_wins(bool existing_dialed_by_self, bool new_dialed_by_self, const std::string& self_id,
                          const std::string& peer_id) {
  if (existing_dialed_by_self == new_dialed_by_self) return true;
  const bool self_is_lower = self_id < peer_id;
  return new_dialed_by_self == self_is_lower;
}

}  // namespace cl::net
