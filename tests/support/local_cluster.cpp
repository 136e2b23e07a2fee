#include "support/local_cluster.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace cl::testing {

namespace {

// Run a command, capturing stdout; throws on failure (test setup, not the behaviour under test).
std::string run_capture(const std::string& cmd) {
  std::string out;
  FILE* f = ::popen(cmd.c_str(), "r");
  if (f == nullptr) throw std::runtime_error("cannot run " + cmd);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  int rc = ::pclose(f);
  if (rc != 0) throw std::runtime_error("failed (" + std::to_string(rc) + "): " + cmd);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

LocalCluster::LocalCluster(LocalClusterOptions options) : options_(std::move(options)) {}

LocalCluster::~LocalCluster() {
  for (int i = 0; i < size(); ++i) {
    if (peers_[i].pid > 0) {
      ::kill(peers_[i].pid, SIGKILL);
      ::waitpid(peers_[i].pid, nullptr, 0);
    }
  }
}

void LocalCluster::init_home(Peer& p, const std::string& secret_hex) {
  const std::string bin = options_.bin_dir + "/cl-raftd";
  if (secret_hex.empty()) {
    secret_ = run_capture(bin + " init --home " + p.home + " 2>/dev/null");
  } else {
    run_capture("echo " + secret_hex + " | " + bin + " init --home " + p.home + " --secret - 2>/dev/null");
  }
  p.peer_id = run_capture(bin + " id --home " + p.home);
}

int LocalCluster::add_peers(int n, int through) {
  for (int k = 0; k < n; ++k) {
    Peer p;
    p.home = dir_.sub("peer" + std::to_string(size()));
    init_home(p, secret_);
    peers_.push_back(std::move(p));
    const int i = size() - 1;
    if (i == 0) {
      start(i);
      if (!wait_for_leader()) throw std::runtime_error("peer 0 did not become leader; log:\n" + log(0));
    } else {
      start(i, through);
    }
  }
  return size() - 1;
}

int LocalCluster::init_peer(const std::string& secret_hex) {
  Peer p;
  p.home = dir_.sub("peer" + std::to_string(size()));
  init_home(p, secret_hex);
  peers_.push_back(std::move(p));
  return size() - 1;
}

void LocalCluster::start(int i, std::optional<int> join, std::map<std::string, std::string> env) {
  Peer& p = peers_[i];
  if (p.pid > 0 && running(i)) throw std::runtime_error("peer " + std::to_string(i) + " is already running");
  for (auto& [k, v] : env) p.env[k] = v;
  std::vector<std::string> args = {
      options_.bin_dir + "/cl-raftd", "run", "--home", p.home, "--listen", addr(i)};
  if (join) {
    args.push_back("--join");
    args.push_back(addr(*join));
  }
  std::map<std::string, std::string> all_env = {{"CL_HEARTBEAT_INTERVAL", options_.heartbeat},
                                                {"CL_ELECTION_TIMEOUT", options_.election},
                                                {"CL_METRICS_INTERVAL", "1s"},
                                                {"CL_LOG_LEVEL", "info"}};
  for (auto& [k, v] : options_.env) all_env[k] = v;
  if (auto it = options_.peer_env.find(i); it != options_.peer_env.end()) {
    for (auto& [k, v] : it->second) all_env[k] = v;
  }
  for (auto& [k, v] : p.env) all_env[k] = v;
  const std::string log_file = log_path(i);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // Die with the test: a crashed test must not leave daemons holding its ports.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::unsetenv("CL_HOME");
    ::unsetenv("CL_SOCKET");
    for (auto& [k, v] : all_env) ::setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  p.pid = pid;
  // Ready once the socket answers.
  wait_until([&] { return call(i, "version", api::Json::object(), 1000).is_ok() || !running(i); }, 20'000);
}

void LocalCluster::kill(int i, int sig) {
  if (peers_[i].pid > 0) ::kill(peers_[i].pid, sig);
  if (sig == SIGKILL) wait_exit(i);
}

int LocalCluster::wait_exit(int i, int timeout_ms) {
  Peer& p = peers_[i];
  if (p.pid <= 0) return -1;
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    pid_t r = ::waitpid(p.pid, &status, WNOHANG);
    if (r == p.pid) {
      p.pid = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool LocalCluster::running(int i) const {
  const Peer& p = peers_[i];
  if (p.pid <= 0) return false;
  int status = 0;
  pid_t r = ::waitpid(p.pid, &status, WNOHANG);
  if (r == p.pid) {
    const_cast<Peer&>(p).pid = -1;
    return false;
  }
  return true;
}

std::string LocalCluster::log(int i) const {
  std::ifstream in(log_path(i));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

util::Result<api::Json> LocalCluster::call(int i, const std::string& method, api::Json params,
                                           int timeout_ms) const {
  auto c = api::Client::connect(socket(i), util::Millis(timeout_ms));
  if (!c) return c.status();
  return c->call(method, std::move(params), util::Millis(timeout_ms));
}

util::Result<std::vector<api::Json>> LocalCluster::stream(int i, const std::string& method, api::Json params,
                                                          int timeout_ms) const {
  auto c = api::Client::connect(socket(i), util::Millis(timeout_ms));
  if (!c) return c.status();
  std::vector<api::Json> items;
  auto st = c->stream(
      method, std::move(params),
      [&](const api::Json& item) {
        items.push_back(item);
        return true;
      },
      util::Millis(timeout_ms));
  if (!st.is_ok()) return st;
  return items;
}

int LocalCluster::leader() const {
  std::map<std::string, int> votes;
  for (int i = 0; i < size(); ++i) {
    if (!running(i)) continue;
    auto h = call(i, "health", api::Json::object(), 2000);
    if (!h || (*h)["leader"].get<std::string>().empty()) continue;
    votes[(*h)["leader"].get<std::string>()]++;
  }
  for (auto& [id, n] : votes) {
    for (int i = 0; i < size(); ++i) {
      if (peers_[i].peer_id == id && running(i)) return i;
    }
  }
  return -1;
}

bool LocalCluster::wait_until(const std::function<bool()>& pred, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

bool LocalCluster::wait_for_leader(int timeout_ms) const {
  return wait_until([&] { return leader() >= 0; }, timeout_ms);
}

bool LocalCluster::wait_for_voters(std::size_t n, int timeout_ms) const {
  return wait_until(
      [&] {
        int l = leader();
        if (l < 0) return false;
        auto h = call(l, "health", api::Json::object(), 2000);
        return h && (*h)["voters"].get<std::size_t>() == n;
      },
      timeout_ms);
}

bool LocalCluster::wait_caught_up(int timeout_ms) const {
  return wait_until(
      [&] {
        int l = leader();
        if (l < 0) return false;
        auto h = call(l, "health", api::Json::object(), 2000);
        if (!h) return false;
        const auto commit = (*h)["commit"].get<std::uint64_t>();
        for (int i = 0; i < size(); ++i) {
          if (!running(i)) continue;
          auto hi = call(i, "health", api::Json::object(), 2000);
          if (!hi || (*hi)["applied"].get<std::uint64_t>() < commit) return false;
        }
        return true;
      },
      timeout_ms);
}

}  // namespace cl::testing
