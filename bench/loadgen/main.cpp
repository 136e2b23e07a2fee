// bench_loadgen: the load generator behind bench/run.sh.
//
//   bench_loadgen MODE [--kind cl|etcd] --endpoints E1[,E2,...] [--clients N] [--duration S]
//                 [--count M] [--window W] [--batch B] [--timeout-ms T] [--pids P1,P2,...] [--tag X]
//
// MODE: load (sequential writes per client), fill (cl: pipelined pin.add), import (cl:
// state.import), ls (cl: pin.ls), failover (kill -9 the leader, time to the next committed write),
// leader (print its index), ready (wait until every member serves). Endpoints are socket paths
// for cl and base URLs (http://127.0.0.1:2379) for etcd. Each write is a fresh CIDv1 (raw,
// sha2-256 of the tag, the client number and a counter): pin.add for cl, a put of
// "/pins/<cid>" with a 211-byte value for etcd.
#include <curl/curl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>

#include "modes.hpp"

namespace {

using cl::bench::Options;

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string part; std::getline(in, part, ',');)
    if (!part.empty()) out.push_back(part);
  return out;
}

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(
      stderr,
      "bench_loadgen: %s\nusage: bench_loadgen load|fill|import|ls|failover|leader|ready [--kind cl|etcd] "
      "--endpoints E[,E...] [--clients N] [--duration S] [--count M] [--window W] [--batch B] "
      "[--timeout-ms T] [--pids P[,P...]] [--tag X] [--voters N]\n",
      why.c_str());
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  o.tag = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) ^
          (static_cast<std::uint64_t>(::getpid()) << 40);
  for (int i = 2; i < argc; i += 2) {
    const std::string k = argv[i];
    if (i + 1 >= argc) usage("missing value for '" + k + "'");
    const std::string v = argv[i + 1];
    if (k == "--kind")
      o.kind = v;
    else if (k == "--endpoints")
      o.endpoints = split(v);
    else if (k == "--clients")
      o.clients = std::atoi(v.c_str());
    else if (k == "--duration")
      o.duration_s = std::atof(v.c_str());
    else if (k == "--count")
      o.count = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--window")
      o.window = std::atoi(v.c_str());
    else if (k == "--batch")
      o.batch = std::atoi(v.c_str());
    else if (k == "--timeout-ms")
      o.timeout_ms = std::atoi(v.c_str());
    else if (k == "--tag")
      o.tag = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--voters")
      o.voters = std::strtoull(v.c_str(), nullptr, 10);
    else if (k == "--pids") {
      for (auto& p : split(v)) o.pids.push_back(static_cast<pid_t>(std::atoi(p.c_str())));
    } else
      usage("unknown option '" + k + "'");
  }
  if (o.kind != "cl" && o.kind != "etcd") usage("--kind must be cl or etcd, not '" + o.kind + "'");
  if (o.endpoints.empty()) usage("--endpoints is required");
  if (o.clients < 1 || o.clients > 1024) usage("--clients must be 1..1024");
  if (o.window < 1 || o.window > 1024) usage("--window must be 1..1024");
  if (o.batch < 1 || o.batch > 10'000) usage("--batch must be 1..10000");
  if (o.timeout_ms < 1) usage("--timeout-ms must be positive");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) usage("missing mode");
  const std::string mode = argv[1];
  Options o = parse(argc, argv);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = 2;
  if (mode == "load") {
    if (o.count == 0 && o.duration_s <= 0) usage("load needs --count or --duration");
    rc = cl::bench::run_load(o);
  } else if (mode == "fill" || mode == "import" || mode == "ls") {
    if (o.kind != "cl") usage(mode + " is for --kind cl");
    if (mode != "ls" && o.count == 0) usage(mode + " needs --count");
    rc = mode == "fill"     ? cl::bench::run_fill(o)
         : mode == "import" ? cl::bench::run_import(o)
                            : cl::bench::run_ls(o);
  } else if (mode == "failover") {
    if (o.pids.size() != o.endpoints.size()) usage("failover needs one --pids entry per endpoint");
    rc = cl::bench::run_failover(o);
  } else if (mode == "leader") {
    rc = cl::bench::run_leader(o);
  } else if (mode == "ready") {
    rc = cl::bench::run_ready(o);
  } else {
    usage("unknown mode '" + mode + "'");
  }
  curl_global_cleanup();
  return rc;
}
