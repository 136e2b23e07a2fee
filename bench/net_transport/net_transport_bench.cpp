// bench_net_transport: one-way messages/s and MB/s through cl::net::Transport over loopback TLS.
// Two transports in one process, each on its own io_context and thread (as two cl-raftd would
// be): the sender keeps its queue topped up, the receiver counts. Payload MB/s counts payload
// bytes only (not frame headers or TLS overhead).
//
//   bench_net_transport [--sizes 100,4096] [--seconds 3]
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "identity/keys.hpp"
#include "identity/secret.hpp"
#include "net/transport.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace asio = boost::asio;

struct Result {
  std::uint64_t messages = 0;
  double seconds = 0;
};

void must(const cl::util::Status& st) {
  if (st.is_ok()) return;
  std::fprintf(stderr, "bench_net_transport: %s\n", st.to_string().c_str());
  std::exit(1);
}

template <class T>
T must(cl::util::Result<T> r) {
  must(r.status());
  return std::move(*r);
}

Result run(std::size_t payload_bytes, double seconds) {
  auto secret = must(cl::identity::ClusterSecret::generate());
  auto key_a = must(cl::identity::KeyPair::generate());
  auto key_b = must(cl::identity::KeyPair::generate());
  asio::io_context io_a, io_b;
  auto work_a = asio::make_work_guard(io_a);
  auto work_b = asio::make_work_guard(io_b);

  std::atomic<std::uint64_t> received{0};
  cl::net::TransportOptions oa;
  oa.identity = &key_a;
  oa.cluster_secret = &secret;
  cl::net::TransportOptions ob = oa;
  ob.identity = &key_b;
  cl::net::TransportCallbacks cb_b;
  cb_b.on_message = [&](const std::string&, std::string) {
    received.fetch_add(1, std::memory_order_relaxed);
  };
  auto a = must(cl::net::Transport::create(io_a, oa, {}));
  auto b = must(cl::net::Transport::create(io_b, ob, std::move(cb_b)));
  must(b->listen("127.0.0.1:0"));
  must(a->set_peer_address(b->peer_id(), "127.0.0.1:" + std::to_string(b->local_port())));

  std::thread tb([&] { io_b.run(); });
  std::thread ta([&] { io_a.run(); });

  // Warm up: one message, so the link is up before the clock starts.
  asio::post(io_a, [&] { a->send(b->peer_id(), "warm-up"); });
  while (received.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const std::string payload(payload_bytes, 'x');
  const std::size_t window_bytes = 8u << 20;
  std::atomic<bool> stop{false};
  std::uint64_t sent = 0;
  // Keep up to window_bytes queued; when the window is full, look again a little later rather
  // than spin (the two threads share the machine's cores).
  asio::steady_timer wait(io_a);
  std::function<void()> pump = [&] {
    if (stop.load()) return;
    auto s = a->peer_stats(b->peer_id());
    std::size_t queued = s ? s->queued_bytes : 0;
    int n = 0;
    for (; n < 1000 && queued < window_bytes; ++n) {
      if (a->send(b->peer_id(), payload)) ++sent;
      queued += payload.size() + 5;
    }
    if (n > 0) return asio::post(io_a, pump);
    wait.expires_after(std::chrono::microseconds(200));
    wait.async_wait([&](const boost::system::error_code&) { pump(); });
  };
  const std::uint64_t start_count = received.load();
  const auto t0 = Clock::now();
  asio::post(io_a, pump);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const std::uint64_t got = received.load() - start_count;
  const auto t1 = Clock::now();
  stop = true;

  asio::post(io_a, [&] {
    wait.cancel();
    a->stop();
  });
  asio::post(io_b, [&] { b->stop(); });
  work_a.reset();
  work_b.reset();
  ta.join();
  tb.join();
  return Result{got, std::chrono::duration<double>(t1 - t0).count()};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"one-way throughput of cl::net::Transport over loopback TLS"};
  std::vector<std::size_t> sizes{100, 4096};
  double seconds = 3;
  app.add_option("--sizes", sizes, "payload sizes in bytes")->delimiter(',');
  app.add_option("--seconds", seconds, "how long to send for each size");
  CLI11_PARSE(app, argc, argv);
  spdlog::set_level(spdlog::level::warn);
  std::printf("%-10s %14s %12s\n", "payload_B", "messages/s", "MB/s");
  for (std::size_t size : sizes) {
    const Result r = run(size, seconds);
    const double rate = r.messages / r.seconds;
    std::printf("%-10zu %14.0f %12.1f\n", size, rate, rate * size / 1e6);
  }
  return 0;
}
