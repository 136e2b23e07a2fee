#include "modes.hpp"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "stats.hpp"
#include "targets.hpp"

namespace cl::bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The share of `total` for worker i of n.
std::uint64_t share(std::uint64_t total, int i, int n) {
  return total / static_cast<std::uint64_t>(n) + (static_cast<std::uint64_t>(i) < total % n ? 1 : 0);
}

}  // namespace

int run_load(const Options& o) {
  std::vector<std::vector<std::uint32_t>> lat(static_cast<std::size_t>(o.clients));
  std::atomic<std::uint64_t> errors{0};
  std::atomic<bool> stop{false};
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::milliseconds(static_cast<std::int64_t>(o.duration_s * 1000));
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      auto t = make_target(o.kind, o.endpoints.at(0));
      if (!t) {
        std::fprintf(stderr, "loadgen: %s\n", t.status().to_string().c_str());
        ++errors;
        return;
      }
      auto& mine = lat[static_cast<std::size_t>(i)];
      const std::uint64_t n_max = o.count > 0 ? share(o.count, i, o.clients) : UINT64_MAX;
      for (std::uint64_t n = 0; n < n_max && !stop; ++n) {
        if (o.count == 0 && Clock::now() >= deadline) break;
        const std::string cid = bench_cid(o.tag, static_cast<std::uint64_t>(i), n);
        const auto t0 = Clock::now();
        auto st = (*t)->write(cid, o.timeout_ms);
        const auto us = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count();
        if (st.is_ok()) {
          mine.push_back(static_cast<std::uint32_t>(us));
        } else if (++errors <= 5) {
          std::fprintf(stderr, "loadgen: %s\n", st.to_string().c_str());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double secs = seconds_since(start);
  std::vector<std::uint32_t> all;
  for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
  std::printf("%s\n", result_line(summarize(all, errors, secs)).c_str());
  return errors == 0 ? 0 : 1;
}

int run_fill(const Options& o) {
  std::atomic<std::uint64_t> errors{0}, done{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < o.clients; ++i) {
    threads.emplace_back([&, i] {
      const std::uint64_t mine = share(o.count, i, o.clients);
      auto c = api::Client::connect(o.endpoints.at(0), util::Millis(5'000));
      if (!c) {
        errors += mine;
        return;
      }
      std::uint64_t sent = 0, received = 0;
      while (received < mine) {
        while (sent < mine && c->outstanding() < static_cast<std::size_t>(o.window)) {
          api::Json p{{"cid", bench_cid(o.tag, static_cast<std::uint64_t>(i), sent)}, {"name", "bench-pin"}};
          if (!c->send("pin.add", std::move(p), util::Millis(o.timeout_ms))) {
            errors += mine - received;
            return;
          }
          ++sent;
        }
        auto r = c->receive(util::Millis(o.timeout_ms));
        if (!r) {
          errors += mine - received;
          return;
        }
        if (r->kind == api::Reply::Kind::error && ++errors <= 5)
          std::fprintf(stderr, "loadgen: %s\n", r->error.to_string().c_str());
        ++received;
        ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  const double secs = seconds_since(start);
  std::printf("RESULT ops=%llu errors=%llu secs=%.2f ops_s=%.0f\n",
              static_cast<unsigned long long>(done.load()), static_cast<unsigned long long>(errors.load()),
              secs, static_cast<double>(done) / secs);
  return errors == 0 ? 0 : 1;
}

int run_import(const Options& o) {
  auto c = api::Client::connect(o.endpoints.at(0), util::Millis(5'000));
  if (!c) {
    std::fprintf(stderr, "loadgen: %s\n", c.status().to_string().c_str());
    return 1;
  }
  const auto start = Clock::now();
  std::uint64_t added = 0, errors = 0, retries = 0;
  for (std::uint64_t n = 0; n < o.count;) {
    api::Json pins = api::Json::array();
    for (int k = 0; k < o.batch && n < o.count; ++k, ++n)
      pins.push_back({{"cid", bench_cid(o.tag, 0, n)}, {"name", "bench-pin"}});
    // A batch that fails (e.g. a leader change while the cluster is busy applying) is sent again
    // on a new connection, at most 5 times: importing a pin already there is a no-op.
    const api::Json params{{"pins", std::move(pins)}};
    auto r = c->call("state.import", params, util::Millis(o.timeout_ms));
    for (int attempt = 1; !r && attempt <= 5; ++attempt) {
      std::fprintf(stderr, "loadgen: import batch ending at %llu: %s; retrying\n",
                   static_cast<unsigned long long>(n), r.status().to_string().c_str());
      ++retries;
      std::this_thread::sleep_for(std::chrono::seconds(1));
      auto again = api::Client::connect(o.endpoints.at(0), util::Millis(5'000));
      if (!again) continue;
      c = std::move(again);
      r = c->call("state.import", params, util::Millis(o.timeout_ms));
    }
    if (!r) {
      std::fprintf(stderr, "loadgen: %s\n", r.status().to_string().c_str());
      return 1;
    }
    added += r->value("added", std::uint64_t{0});
    errors += r->contains("errors") ? (*r)["errors"].size() : 0;
  }
  const double secs = seconds_since(start);
  std::printf("IMPORT pins=%llu added=%llu errors=%llu retries=%llu secs=%.2f pins_s=%.0f\n",
              static_cast<unsigned long long>(o.count), static_cast<unsigned long long>(added),
              static_cast<unsigned long long>(errors), static_cast<unsigned long long>(retries), secs,
              static_cast<double>(o.count) / secs);
  return errors == 0 ? 0 : 1;
}

int run_ls(const Options& o) {
  auto c = api::Client::connect(o.endpoints.at(0), util::Millis(5'000));
  if (!c) {
    std::fprintf(stderr, "loadgen: %s\n", c.status().to_string().c_str());
    return 1;
  }
  const auto start = Clock::now();
  double first_ms = -1;
  std::uint64_t items = 0;
  auto st = c->stream(
      "pin.ls", api::Json::object(),
      [&](const api::Json&) {
        if (items++ == 0) first_ms = seconds_since(start) * 1000;
        return true;
      },
      util::Millis(o.timeout_ms));
  const double total_ms = seconds_since(start) * 1000;
  if (!st.is_ok()) {
    std::fprintf(stderr, "loadgen: %s\n", st.to_string().c_str());
    return 1;
  }
  std::printf("LS items=%llu first_ms=%.1f total_ms=%.0f\n", static_cast<unsigned long long>(items), first_ms,
              total_ms);
  return 0;
}

int run_failover(const Options& o) {
  const int leader = find_leader(o.kind, o.endpoints);
  if (leader < 0 || static_cast<std::size_t>(leader) >= o.pids.size()) {
    std::fprintf(stderr, "loadgen: no leader among the endpoints (or no pid for it)\n");
    return 1;
  }
  std::vector<std::string> survivors;
  for (std::size_t i = 0; i < o.endpoints.size(); ++i)
    if (static_cast<int>(i) != leader) survivors.push_back(o.endpoints[i]);
  ::kill(o.pids[static_cast<std::size_t>(leader)], SIGKILL);
  const auto start = Clock::now();
  // A write proposed while there is no leader may wait, so (like the reference script) a new
  // attempt starts every 20 ms, round robin over the survivors, each on its own connection.
  // The first one to commit ends the trial. At most 30 s, so at most 1,500 attempts.
  std::atomic<bool> done{false};
  std::mutex mu;
  double first_ms = -1;
  std::vector<std::thread> attempts;
  for (std::uint64_t n = 0; !done && seconds_since(start) < 30; ++n) {
    attempts.emplace_back([&, n] {
      auto t = make_target(o.kind, survivors[n % survivors.size()]);
      if (!t) return;
      if (!(*t)->write(bench_cid(o.tag, 1'000'000, n), 3'000).is_ok()) return;
      std::lock_guard lock(mu);
      if (!done) first_ms = seconds_since(start) * 1000, done = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (auto& t : attempts) t.join();
  if (first_ms < 0) {
    std::fprintf(stderr, "loadgen: no write committed within 30 s of killing the leader\n");
    return 1;
  }
  std::printf("FAILOVER leader=%d ms=%.0f attempts=%zu\n", leader, first_ms, attempts.size());
  return 0;
}

int run_leader(const Options& o) {
  const int leader = find_leader(o.kind, o.endpoints);
  std::printf("LEADER %d\n", leader);
  return leader >= 0 ? 0 : 1;
}

int run_ready(const Options& o) {
  const auto start = Clock::now();
  while (seconds_since(start) * 1000 < o.timeout_ms) {
    if (all_ready(o.kind, o.endpoints, o.voters)) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::fprintf(stderr, "loadgen: not every member was ready within %d ms\n", o.timeout_ms);
  return 1;
}

}  // namespace cl::bench
