#pragma once
// HttpCall: one POST to a daemon's /api/v0/<path>, run on a curl easy handle the caller owns.
// Internal to HttpConnector (not part of the ipfs module's interface).
//
// The reply of a 200 is handed to on_line: line by line as it streams in (streamed calls:
// ndjson), or once as a whole (other calls). Any other status collects the body (at most
// error_body_bytes_max) and becomes a Status quoting the daemon's "Message". A chunked reply
// whose X-Stream-Error trailer is set fails with that message.
#include <curl/curl.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ipfs/http_connector.hpp"

namespace cl::ipfs::detail {

struct MimeFree {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};
using MimePtr = std::unique_ptr<curl_mime, MimeFree>;

class HttpCall;
// Gets one line (streamed) or the whole body; returning non-ok stops the transfer.
using LineHandler = std::function<Status(std::string_view text, HttpCall& call)>;

struct CallSpec {
  std::string path;     // after /api/v0/, e.g. "pin/add"
  std::string subject;  // what the call is about, already quoted ("'Qm...'"), or empty
  std::vector<std::pair<std::string, std::string>> args;  // query arguments, escaped by the call
  bool streamed = false;
  util::Millis timeout{0};        // whole call; 0 = none
  util::Millis stall_timeout{0};  // no note_progress() for this long: stop; 0 = no check
  const CancelFlag* cancel = nullptr;
  // Builds the multipart body (add); empty for a call without a body.
  std::function<Result<MimePtr>(CURL*)> make_body;
  LineHandler on_line;
};

class HttpCall {
 public:
  static constexpr std::size_t error_body_bytes_max = 64 * 1024;

  HttpCall(CURL* handle, const HttpConfig& config, util::Clock& clock, CallSpec& spec);
  HttpCall(const HttpCall&) = delete;
  HttpCall& operator=(const HttpCall&) = delete;

  // Runs the transfer; ok only for a 200 whose every line was accepted by on_line.
  Status run();

  // For on_line: restart the stall timer (the daemon reported progress).
  void note_progress();

  // After run(): whether the call failed before reaching the daemon (for the backoff).
  bool connect_failed() const { return connect_failed_; }
  // After run(): curl's words for a failed connect ("Failed to connect to ...: Connection refused").
  const std::string& connect_error() const { return connect_error_; }
  // After run(): the HTTP status (0 if none) and the daemon's error "Message" (non-200 replies).
  long http_status() const { return http_status_; }
  const std::string& daemon_message() const { return daemon_message_; }
  // "ipfs pin/add 'Qm...' at http://127.0.0.1:5001": the prefix of every message about this call.
  std::string describe() const;

 private:
  enum class Stop { none, handler, cancelled, stalled, too_long };

  static std::size_t on_write(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static int on_xferinfo(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
  std::size_t write(std::string_view data);
  Status finish(CURLcode rc);
  Status deliver(std::string_view text);

  CURL* handle_;
  const HttpConfig& config_;
  util::Clock& clock_;
  CallSpec& spec_;

  std::string buffer_;  // partial line (streamed), whole body, or error body
  Stop stop_ = Stop::none;
  Status handler_status_;
  util::Nanos progress_at_{0};
  long http_status_ = 0;
  std::string stream_error_;
  std::string daemon_message_;
  bool connect_failed_ = false;
  std::string connect_error_;
  char curl_error_[CURL_ERROR_SIZE] = {};
};

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_escape(std::string_view text);
// The Status for a daemon's non-200 answer: timeout for "request timed out"/"deadline
// exceeded", invalid_argument for 400, internal otherwise; the message quotes the daemon.
Status daemon_error(std::string_view call, long http_status, std::string_view message);

}  // namespace cl::ipfs::detail
