#include "ipfs/types.hpp"

namespace cl::ipfs {

std::string_view pin_type_name(PinType type) {
  switch (type) {
    case PinType::recursive:
      return "recursive";
    case PinType::direct:
      return "direct";
  }
  CL_UNREACHABLE("pin type out of range");
}

}  // namespace cl::ipfs
