#pragma once
// Client: the tools' side of the local socket (PROTOCOL.md). Synchronous, plain POSIX, one
// connection; every wait is bounded with poll(). Not thread-safe: one thread uses one Client.
//
//   auto client = api::Client::connect(path, 5s);
//   if (!client) { print(client.status()); return 3; }     // unavailable: daemon not running
//   auto r = client->call("pin.add", {{"cid", cid}}, 30s);   // error statuses carry the code
//
// Errors: unavailable when the daemon cannot be reached or the connection is lost; timeout when
// a reply does not come in time; corrupt when the daemon sends something that is not a reply;
// any other code is the daemon's answer (its error line's code and message).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "api/protocol.hpp"
#include "util/duration.hpp"
#include "util/result.hpp"

namespace cl::api {

class Client {
 public:
  // The longest reply line accepted; a longer one is corrupt and closes the connection.
  static constexpr std::size_t kMaxReplyLineBytes = std::size_t{64} << 20;

  // Connect to the daemon's socket, waiting at most `timeout` if its accept queue is full.
  // unavailable: "cannot reach cl-raftd at '<path>': <strerror>; is it running? (cl-raftd run)".
  static util::Result<Client> connect(const std::string& path, util::Millis timeout);

  Client(Client&& other) noexcept;
  Client& operator=(Client&& other) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  ~Client();

  // One request, one reply. `timeout` bounds the whole call; when it passes the connection is
  // closed (which cancels the request in the daemon) and later calls fail with unavailable.
  // Do not mix with send() while pipelined replies are outstanding (asserted).
  util::Result<Json> call(std::string_view method, Json params, util::Millis timeout);

  // A streamed listing: `each` gets every item in order and returns false to stop early, which
  // closes the connection (cancelling the listing in the daemon) and returns ok. `timeout` bounds
  // each wait for the next line (an idle timeout), not the whole listing. The end line's count is
  // checked against the items received.
  util::Status stream(std::string_view method, Json params, const std::function<bool(const Json&)>& each,
                      util::Millis timeout);

  // Pipelining: send many requests, then receive() their replies in whatever order they come.
  // send() returns the request's id (1, 2, 3, ...). Keep the number outstanding bounded (e.g. a
  // window of a few hundred, receiving as you go): the daemon stops reading a connection that has
  // too many unanswered requests, and a blocked send() then waits until `timeout`.
  util::Result<std::uint64_t> send(std::string_view method, Json params,
                                   util::Millis timeout = util::Millis(30'000));
  // The next reply line for any id (an item, an end, a result or an error). A timeout leaves the
  // connection usable. An error about a line the daemon could not read has a null id.
  util::Result<Reply> receive(util::Millis timeout);
  // Requests sent with send() whose terminal reply has not been received yet.
  std::size_t outstanding() const { return outstanding_; }

  // Write raw bytes as they are (for tests and debugging: malformed lines, huge lines).
  util::Status send_raw(std::string_view bytes, util::Millis timeout);

  const std::string& path() const { return path_; }
  bool is_open() const { return fd_ >= 0; }
  // Close the connection; the daemon cancels what is still in flight.
  void close();

 private:
  Client(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  using Deadline = std::int64_t;  // steady clock, milliseconds
  static Deadline deadline_after(util::Millis timeout);

  util::Status write_all(std::string_view bytes, Deadline deadline);
  // The next line without its '\n'; the view is valid until the next read.
  util::Result<std::string_view> read_line(Deadline deadline);
  util::Result<Reply> read_reply(Deadline deadline);
  // A send failed: if the daemon said why before hanging up (e.g. too many connections), that.
  util::Status explain_send_failure(util::Status send_error);
  util::Status lost(std::string_view what, int err);
  util::Status not_connected() const;

  int fd_ = -1;
  std::string path_;
  std::uint64_t next_id_ = 1;
  std::size_t outstanding_ = 0;
  std::string out_;       // the request being written
  std::vector<char> in_;  // received bytes in [in_pos_, in_end_); grown, never zero-filled per read
  std::size_t in_pos_ = 0;
  std::size_t in_end_ = 0;
  std::size_t scanned_ = 0;  // bytes after in_pos_ known to hold no '\n'
};

}  // namespace cl::api
