#pragma once
// The interpreter behind raft_script: one Runner per file, holding a test Network.
#include <memory>
#include <string>
#include <vector>

#include "testkit.hpp"

namespace cl::raft::script {

class Runner {
 public:
  Runner();
  // Runs one command line; returns its trace (or "error: ..." lines).
  std::vector<std::string> run(const std::string& line);

 private:
  struct Args;
  void cmd_add_nodes(const Args& a);
  void cmd_stabilize(const Args& a);
  void cmd_process_ready(const Args& a);
  void cmd_deliver(const Args& a);
  void cmd_status(const Args& a);
  void cmd_log(const Args& a);
  void process_ready(NodeId id);
  void deliver_one_round(NodeId only_to, NodeId only_from, bool drop);
  void flush_logs();
  void out(std::string line) { out_.push_back(std::move(line)); }

  test::CaptureLogger logger_;
  std::unique_ptr<test::Network> net_;
  NodeId next_id_ = 1;
  std::vector<std::string> out_;
};

}  // namespace cl::raft::script
