#include "api/paths.hpp"

#include <cstdlib>

namespace cl::api {

namespace {
std::optional<std::string> non_empty(const EnvLookup& env, std::string_view name) {
  auto v = env(name);
  if (v && v->empty()) return std::nullopt;
  return v;
}
}  // namespace

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
}

util::Result<std::string> cl_home(const EnvLookup& env) {
  if (auto home = non_empty(env, "CL_HOME")) return *home;
  if (auto home = non_empty(env, "HOME")) return *home + "/.cl";
  return util::invalid_argument(
      "cannot find the cl home directory: neither CL_HOME nor HOME is set; set CL_HOME");
}

util::Result<std::string> default_socket_path(const EnvLookup& env) {
  if (auto sock = non_empty(env, "CL_SOCKET")) return *sock;
  auto home = cl_home(env);
  if (!home) {
    return util::invalid_argument(
        "cannot find the cl-raftd socket: none of CL_SOCKET, CL_HOME or HOME is set; pass --socket");
  }
  return *home + "/raftd.sock";
}

util::Result<std::string> resolve_socket_path(std::string_view flag, const EnvLookup& env) {
  if (!flag.empty()) return std::string(flag);
  return default_socket_path(env);
}

}  // namespace cl::api
