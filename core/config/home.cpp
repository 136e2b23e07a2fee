#include "config/home.hpp"

namespace cl::config {

namespace {
std::string without_trailing_slash(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}
}  // namespace

util::Result<std::string> resolve_home(std::string_view flag, const Env& env) {
  if (!flag.empty()) return without_trailing_slash(std::string(flag));
  if (auto home = env(kHomeEnv); home && !home->empty()) return without_trailing_slash(*home);
  if (auto user_home = env("HOME"); user_home && !user_home->empty()) {
    return without_trailing_slash(*user_home) + "/" + kHomeDefaultName;
  }
  return util::failed_precondition("cannot find CL_HOME: set CL_HOME or HOME, or pass --home");
}

HomePaths home_paths(std::string_view dir) {
  std::string d(dir);
  std::string prefix = d == "/" ? d : d + "/";
  return {d, prefix + "config.json", prefix + "identity.key", prefix + "secret", prefix + "raftd.sock"};
}

}  // namespace cl::config
