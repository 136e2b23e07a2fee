#include "ipfs/http_call.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace cl::ipfs::detail {

namespace {

bool contains_nocase(std::string_view hay, std::string_view needle) {
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
  return it != hay.end();
}

// The "Message" of a Kubo-style error body {"Message":"...","Code":0,"Type":"error"}, or the
// body itself when it is not such JSON.
std::string error_message(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_object()) {
    auto m = j.find("Message");
    if (m != j.end() && m->is_string()) return m->get<std::string>();
  }
  std::string text(body);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  return text;
}

std::string millis_text(util::Millis d) {
  return util::format_duration(d);
}

}  // namespace

std::string url_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

Status daemon_error(std::string_view call, long http_status, std::string_view message) {
  std::string m(call);
  m += ": daemon answered HTTP " + std::to_string(http_status) + " " + util::quote(message, 300);
  if (contains_nocase(message, "request timed out") || contains_nocase(message, "deadline exceeded")) {
    return util::timeout_error(std::move(m));
  }
  if (http_status == 400) return util::invalid_argument(std::move(m));
  if (http_status == 404 || http_status == 405) {
    return util::internal_error(m + " (the daemon does not speak this Kubo RPC endpoint)");
  }
  return util::internal_error(std::move(m));
}

HttpCall::HttpCall(CURL* handle, const HttpConfig& config, util::Clock& clock, CallSpec& spec)
    : handle_(handle), config_(config), clock_(clock), spec_(spec) {}

std::string HttpCall::describe() const {
  std::string d = "ipfs " + spec_.path;
  if (!spec_.subject.empty()) d += " " + spec_.subject;
  d += " at " + config_.api_url;
  return d;
}

void HttpCall::note_progress() {
  progress_at_ = clock_.monotonic();
}

Status HttpCall::run() {
  std::string url = config_.api_url + "/api/v0/" + spec_.path;
  char sep = '?';
  for (const auto& [key, value] : spec_.args) {
    url += sep;
    url += url_escape(key) + "=" + url_escape(value);
    sep = '&';
  }

  MimePtr body;
  if (spec_.make_body) {
    auto built = spec_.make_body(handle_);
    if (!built) return built.status().with_context(describe());
    body = std::move(*built);
  }

  curl_easy_setopt(handle_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(handle_, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle_, CURLOPT_ERRORBUFFER, curl_error_);
  curl_easy_setopt(handle_, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(handle_, CURLOPT_TIMEOUT_MS, static_cast<long>(spec_.timeout.count()));
  if (body) {
    curl_easy_setopt(handle_, CURLOPT_MIMEPOST, body.get());
  } else {
    curl_easy_setopt(handle_, CURLOPT_POST, 1L);
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDS, "");
    curl_easy_setopt(handle_, CURLOPT_POSTFIELDSIZE, 0L);
  }
  // No "Expect: 100-continue" round trip before an upload.
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  curl_easy_setopt(handle_, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(handle_, CURLOPT_WRITEFUNCTION, &HttpCall::on_write);
  curl_easy_setopt(handle_, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(handle_, CURLOPT_HEADERFUNCTION, &HttpCall::on_header);
  curl_easy_setopt(handle_, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(handle_, CURLOPT_XFERINFOFUNCTION, &HttpCall::on_xferinfo);
  curl_easy_setopt(handle_, CURLOPT_XFERINFODATA, this);
  curl_easy_setopt(handle_, CURLOPT_NOPROGRESS, 0L);

  note_progress();
  CURLcode rc = curl_easy_perform(handle_);
  curl_slist_free_all(headers);
  return finish(rc);
}

Status HttpCall::deliver(std::string_view text) {
  Status st = spec_.on_line ? spec_.on_line(text, *this) : Status::ok();
  if (!st.is_ok()) {
    stop_ = Stop::handler;
    handler_status_ = st;
  }
  return st;
}

std::size_t HttpCall::write(std::string_view data) {
  if (http_status_ == 0) curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &http_status_);
  if (http_status_ != 200) {  // keep the start of an error body, drop the rest
    std::size_t room = error_body_bytes_max - std::min(buffer_.size(), error_body_bytes_max);
    buffer_.append(data.substr(0, room));
    return data.size();
  }
  if (!spec_.streamed) {
    if (buffer_.size() + data.size() > config_.body_bytes_max) {
      stop_ = Stop::too_long;
      return 0;
    }
    buffer_.append(data);
    return data.size();
  }
  std::size_t start = 0;
  while (start < data.size()) {
    std::size_t nl = data.find('\n', start);
    std::string_view piece = data.substr(start, nl == std::string_view::npos ? nl : nl - start);
    if (buffer_.size() + piece.size() > config_.line_bytes_max) {
      stop_ = Stop::too_long;
      return 0;
    }
    if (nl == std::string_view::npos) {
      buffer_.append(piece);
      break;
    }
    std::string_view line = piece;
    if (!buffer_.empty()) {
      buffer_.append(piece);
      line = buffer_;
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && !deliver(line).is_ok()) return 0;
    buffer_.clear();
    start = nl + 1;
  }
  return data.size();
}

std::size_t HttpCall::on_write(char* data, std::size_t size, std::size_t count, void* self) {
  return static_cast<HttpCall*>(self)->write(std::string_view(data, size * count));
}

std::size_t HttpCall::on_header(char* data, std::size_t size, std::size_t count, void* self) {
  auto* call = static_cast<HttpCall*>(self);
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "x-stream-error:";
  if (line.size() > kName.size() && contains_nocase(line.substr(0, kName.size()), kName)) {
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
    if (!value.empty()) call->stream_error_.assign(value.substr(0, 4096));
  }
  return size * count;
}

int HttpCall::on_xferinfo(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* call = static_cast<HttpCall*>(self);
  if (call->spec_.cancel != nullptr && call->spec_.cancel->cancelled()) {
    call->stop_ = Stop::cancelled;
    return 1;
  }
  if (call->spec_.stall_timeout.count() > 0 &&
      call->clock_.monotonic() - call->progress_at_ > call->spec_.stall_timeout) {
    call->stop_ = Stop::stalled;
    return 1;
  }
  return 0;
}

Status HttpCall::finish(CURLcode rc) {
  if (http_status_ == 0) curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &http_status_);
  switch (stop_) {
    case Stop::handler:
      return handler_status_;
    case Stop::cancelled:
      return {util::Code::cancelled, describe() + ": cancelled"};
    case Stop::stalled:
      return util::timeout_error(describe() + ": no progress for " + millis_text(spec_.stall_timeout) +
                                 "; call abandoned (raise the pin timeout if the content is large or slow)");
    case Stop::too_long:
      return util::resource_exhausted(
          describe() + ": reply larger than the limit (" +
          std::to_string(spec_.streamed ? config_.line_bytes_max : config_.body_bytes_max) + " bytes per " +
          (spec_.streamed ? "line" : "reply") + ")");
    case Stop::none:
      break;
  }
  if (rc != CURLE_OK) {
    std::string what = curl_error_[0] != '\0' ? std::string(curl_error_) : curl_easy_strerror(rc);
    curl_off_t connected_us = 0;
    curl_easy_getinfo(handle_, CURLINFO_CONNECT_TIME_T, &connected_us);
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
        (rc == CURLE_OPERATION_TIMEDOUT && connected_us == 0)) {
      connect_failed_ = true;
      connect_error_ = what;
      return util::unavailable(describe() + ": cannot connect (" + what + "); is the IPFS daemon running?");
    }
    if (rc == CURLE_OPERATION_TIMEDOUT) {
      return util::timeout_error(describe() + ": timed out after " + millis_text(spec_.timeout) + " (" +
                                 what + ")");
    }
    if (http_status_ == 0) {
      // Connected, but the connection died before any answer: the daemon stopped or crashed.
      return util::unavailable(describe() + ": the connection closed before the daemon answered (" + what +
                               "); did the IPFS daemon stop?");
    }
    return util::io_error(describe() + ": the connection broke during the reply (" + what + ")");
  }
  if (http_status_ != 200) {
    daemon_message_ = error_message(buffer_);
    return daemon_error(describe(), http_status_, daemon_message_);
  }
  if (!stream_error_.empty()) {
    daemon_message_ = stream_error_;
    return util::internal_error(describe() + ": the daemon's reply ended in an error " +
                                util::quote(stream_error_, 300));
  }
  if (spec_.streamed) {
    std::string_view rest = buffer_;
    if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
    if (!rest.empty()) CL_TRY_STATUS(deliver(rest));
    return Status::ok();
  }
  return deliver(buffer_);
}

}  // namespace cl::ipfs::detail
