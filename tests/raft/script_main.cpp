// raft_script: runs a raft script test (tests/raft/*.txt) and compares each command's trace with
// the expected text, or rewrites the file with the actual traces (--rewrite).
//
// File format: blocks separated by blank lines. A block is optional '#' comment lines, one
// command line, a line '----', then the expected output (no blank lines inside). Commands are
// documented in script_commands.cpp.
//
//   raft_script FILE...            exit 0 when every block matches, 1 otherwise
//   raft_script --rewrite FILE...  regenerate the expected outputs in place
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "script.hpp"

namespace {

struct Block {
  std::vector<std::string> comments;
  std::string command;
  int line = 0;
  std::vector<std::string> expected;
};

bool parse(const std::string& path, std::vector<Block>& out, std::string& error) {
  std::ifstream in(path);
  if (!in) {
    error = "cannot open '" + path + "'";
    return false;
  }
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::size_t i = 0;
  while (i < lines.size()) {
    if (lines[i].empty()) {
      ++i;
      continue;
    }
    Block b;
    while (i < lines.size() && !lines[i].empty() && lines[i][0] == '#') b.comments.push_back(lines[i++]);
    if (i >= lines.size() || lines[i].empty()) {
      // Comments alone (e.g. at the end of the file): keep them as a block without a command.
      out.push_back(b);
      continue;
    }
    b.command = lines[i];
    b.line = static_cast<int>(i + 1);
    ++i;
    if (i >= lines.size() || lines[i] != "----") {
      error = path + ":" + std::to_string(b.line) + ": expected '----' after the command";
      return false;
    }
    ++i;
    while (i < lines.size() && !lines[i].empty()) b.expected.push_back(lines[i++]);
    out.push_back(std::move(b));
  }
  return true;
}

int run_file(const std::string& path, bool rewrite) {
  std::vector<Block> blocks;
  std::string error;
  if (!parse(path, blocks, error)) {
    std::cerr << error << "\n";
    return 2;
  }
  cl::raft::script::Runner runner;
  int failures = 0;
  std::ostringstream rewritten;
  bool first = true;
  for (auto& b : blocks) {
    if (!first) rewritten << "\n";
    first = false;
    for (const auto& c : b.comments) rewritten << c << "\n";
    if (b.command.empty()) continue;
    std::vector<std::string> actual = runner.run(b.command);
    rewritten << b.command << "\n----\n";
    for (const auto& l : actual) rewritten << l << "\n";
    if (!rewrite && actual != b.expected) {
      ++failures;
      std::cerr << path << ":" << b.line << ": output of '" << b.command << "' differs\n--- expected\n";
      for (const auto& l : b.expected) std::cerr << l << "\n";
      std::cerr << "+++ actual\n";
      for (const auto& l : actual) std::cerr << l << "\n";
    }
  }
  if (rewrite) {
    std::ofstream out(path, std::ios::trunc);
    out << rewritten.str();
    if (!out) {
      std::cerr << "cannot write '" << path << "'\n";
      return 2;
    }
    std::cout << "rewrote " << path << "\n";
    return 0;
  }
  if (failures) {
    std::cerr << path << ": " << failures
              << " block(s) differ; rerun with --rewrite to accept the new output\n";
    return 1;
  }
  std::cout << path << ": " << blocks.size() << " blocks ok\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  bool rewrite = false;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--rewrite")
      rewrite = true;
    else if (a == "-h" || a == "--help") {
      std::cout << "usage: raft_script [--rewrite] FILE...\n";
      return 0;
    } else if (a.size() < 14 || a.compare(a.size() - 14, 14, "CMakeLists.txt") != 0) {
      files.push_back(a);  // (tests/raft/*.txt also matches CMakeLists.txt: skip it)
    }
  }
  if (files.empty()) {
    std::cerr << "usage: raft_script [--rewrite] FILE...\n";
    return 2;
  }
  int rc = 0;
  for (const auto& f : files) rc = std::max(rc, run_file(f, rewrite));
  return rc;
}
