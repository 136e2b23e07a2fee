#include "pin_commands.hpp"

namespace cl::pin_cli {

namespace {
// "2..3", "3", or "all" (-1: every peer).
std::string replication_cell(const nlohmann::json& pin) {
  int rmin = pin.value("replication_factor_min", 0);
  int rmax = pin.value("replication_factor_max", 0);
  if (rmin == -1) return "all";
  if (rmin == rmax) return std::to_string(rmin);
  return std::to_string(rmin) + ".." + (rmax == -1 ? std::string("all") : std::to_string(rmax));
}
}  // namespace

std::vector<tool::Column> pin_columns() {
  return {
      tool::field_column("CID", "cid"),
      tool::field_column("NAME", "name"),
      tool::field_column("MODE", "mode"),
      tool::Column{"REPLICATION", replication_cell},
      tool::field_column("ALLOCATIONS", "allocations"),
      tool::field_column("EXPIRE_AT", "expire_at"),
      tool::field_column("METADATA", "metadata"),
  };
}

util::Result<std::pair<std::string, std::string>> split_key_value(const std::string& flag,
                                                                  const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return util::invalid_argument("invalid " + flag + " " + util::quote(text) + ": expected KEY=VALUE");
  }
  return std::make_pair(text.substr(0, eq), text.substr(eq + 1));
}

}  // namespace cl::pin_cli
