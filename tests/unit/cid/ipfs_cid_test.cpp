// Cross-check against Debian's ipfs_cid (package ipfs-cid, an independent Rust implementation):
// it prints {"CIDv0":"Qm...","CIDv1":"bafy..."} for a file's UnixFS root. We must accept both,
// find the same multihash in them, re-print the v1 exactly, and upgrade the v0 to that v1.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cid/cid.hpp"
#include "util/rng.hpp"

using namespace cl;
using cid::Cid;
namespace fs = std::filesystem;

namespace {

// The first executable `name` on PATH, or "" if there is none.
std::string find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    fs::path candidate = fs::path(dir) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

// Runs `tool file`, returns its stdout (stderr, which carries timings, is discarded).
std::string run(const std::string& tool, const fs::path& file) {
  std::string command = "'" + tool + "' '" + file.string() + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = ::pclose(pipe);
  INFO("command: " << command << "\noutput: " << out);
  REQUIRE(status == 0);
  return out;
}

}  // namespace

TEST_CASE("our parser agrees with Debian's ipfs_cid on real files") {
  const std::string tool = find_on_path("ipfs_cid");
  if (tool.empty()) {
    FAIL(
        "ipfs_cid not found on PATH: it is the independent CID implementation this test checks "
        "against (Debian package ipfs-cid); run `make deps` to install it");
  }

  const std::uint64_t seed = 0x5eed0c1d;
  util::Rng rng(seed);
  std::string random_bytes(300 * 1024 + 17, '\0');
  for (auto& b : random_bytes) b = static_cast<char>(rng.below(256));

  const fs::path dir = fs::temp_directory_path() / ("cl_cid_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  struct RemoveDir {
    fs::path dir;
    ~RemoveDir() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};
  struct File {
    std::string name;
    std::string content;
    std::string known_v0;  // what Kubo's `ipfs add` gives, where well known
  };
  const File files[] = {
      {"empty", "", "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH"},
      {"hello", "hello world\n", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
      {"random", random_bytes, ""},  // several chunks: a dag-pb root over leaves
  };

  for (const auto& f : files) {
    fs::path path = dir / f.name;
    std::ofstream(path, std::ios::binary) << f.content;
    std::string out = run(tool, path);
    INFO("seed " << seed << ", file " << f.name << " (" << f.content.size()
                 << " bytes), ipfs_cid said: " << out);
    auto json = nlohmann::json::parse(out);
    const std::string v0_text = json.at("CIDv0").get<std::string>();
    const std::string v1_text = json.at("CIDv1").get<std::string>();

    cid::ParseError reason = cid::ParseError::none;
    auto v0 = Cid::parse(v0_text, &reason);
    INFO("v0 " << v0_text << ": " << v0.status().to_string());
    REQUIRE(v0.is_ok());
    auto v1 = Cid::parse(v1_text, &reason);
    INFO("v1 " << v1_text << ": " << v1.status().to_string());
    REQUIRE(v1.is_ok());

    CHECK(v0->version() == 0);
    CHECK(v1->version() == 1);
    CHECK(v1->codec() == cid::Codec::dag_pb);
    CHECK(cid::same_multihash(*v0, *v1));
    CHECK(v0->to_string() == v0_text);
    CHECK(v1->to_string() == v1_text);
    CHECK(v0->to_v1().to_string() == v1_text);
    CHECK(v0->to_v1() == *v1);
    if (!f.known_v0.empty()) CHECK(v0_text == f.known_v0);
  }
}
