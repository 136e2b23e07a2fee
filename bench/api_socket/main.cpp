// Throughput of the local socket: N client threads each make M calls to an echo handler that
// answers at once, through one Server on one io_context thread. Prints calls per second for
// sequential calls (one in flight per client) and pipelined calls (a window per client).
//
//   bench_api_socket [--clients 64] [--calls 5000] [--window 32]
//
// The handler does nothing, so this measures the protocol machinery (framing, JSON, dispatch,
// writes, the client) that sits in front of every pin.add.
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "api/client.hpp"
#include "api/server.hpp"

namespace {

using namespace cl;
using Clock = std::chrono::steady_clock;

struct Args {
  int clients = 64;
  int calls = 5000;
  int window = 32;
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i];
    int v = std::atoi(argv[i + 1]);
    if (k == "--clients")
      a.clients = v;
    else if (k == "--calls")
      a.calls = v;
    else if (k == "--window")
      a.window = v;
    else {
      std::fprintf(stderr, "usage: bench_api_socket [--clients N] [--calls M] [--window W]\n");
      std::exit(2);
    }
  }
  if (a.clients < 1 || a.calls < 1 || a.window < 1) {
    std::fprintf(stderr, "bench_api_socket: --clients, --calls and --window must be positive\n");
    std::exit(2);
  }
  return a;
}

const api::Json kParams = {{"cid", "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"},
                           {"replication_factor_min", 2},
                           {"replication_factor_max", 3},
                           {"name", "backup-2024-01-01"}};

// One client: `calls` calls with at most `window` in flight. Returns the number that failed.
int run_client(const std::string& path, int calls, int window) {
  auto c = api::Client::connect(path, util::Millis(10'000));
  if (!c) {
    std::fprintf(stderr, "%s\n", c.status().to_string().c_str());
    return calls;
  }
  int failed = 0;
  if (window == 1) {
    for (int i = 0; i < calls; ++i) failed += c->call("pin.add", kParams, util::Millis(10'000)).is_ok() ? 0 : 1;
    return failed;
  }
  int sent = 0, received = 0;
  while (received < calls) {
    while (sent < calls && static_cast<int>(c->outstanding()) < window) {
      if (!c->send("pin.add", kParams).is_ok()) return calls - received;
      ++sent;
    }
    auto r = c->receive(util::Millis(10'000));
    if (!r) return calls - received;
    if (r->kind == api::Reply::Kind::error) ++failed;
    ++received;
  }
  return failed;
}

double measure(const std::string& path, const Args& a, int window) {
  std::atomic<int> failed{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < a.clients; ++i) {
    threads.emplace_back([&] { failed += run_client(path, a.calls, window); });
  }
  for (auto& t : threads) t.join();
  double secs = std::chrono::duration<double>(Clock::now() - start).count();
  double total = static_cast<double>(a.clients) * a.calls;
  std::printf("%-10s clients=%d calls/client=%d window=%d: %.0f calls/s (%.2f s, %d failed)\n",
              window == 1 ? "sequential" : "pipelined", a.clients, a.calls, window, total / secs, secs,
              failed.load());
  return total / secs;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  char dir[] = "/tmp/cl-bench-XXXXXX";
  if (::mkdtemp(dir) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  std::string path = std::string(dir) + "/raftd.sock";

  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  api::ServerOptions opt;
  opt.path = path;
  opt.connections_max = static_cast<std::size_t>(args.clients) + 8;
  api::Server server(io, opt);
  server.handle("pin.add", [](api::Request req, std::shared_ptr<api::Call> call) {
    call->reply(std::move(req.params));
  });
  if (auto st = server.start(); !st.is_ok()) {
    std::fprintf(stderr, "bench_api_socket: %s\n", st.to_string().c_str());
    return 1;
  }
  std::thread io_thread([&] { io.run(); });

  measure(path, args, 1);
  measure(path, args, args.window);

  boost::asio::post(io, [&] { server.stop(); });
  work.reset();
  io_thread.join();
  auto s = server.stats();
  std::printf("server: %llu calls, out buffer peak %llu bytes\n",
              static_cast<unsigned long long>(s.calls_started),
              static_cast<unsigned long long>(s.out_buffered_bytes_peak));
  ::rmdir(dir);
  return 0;
}
