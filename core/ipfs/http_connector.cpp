#include "ipfs/http_connector.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include "ipfs/http_call.hpp"

namespace cl::ipfs {

using detail::CallSpec;
using detail::HttpCall;

namespace {

std::once_flag g_curl_init;

util::Millis ceil_millis(util::Nanos d) {
  return std::chrono::ceil<util::Millis>(d);
}

}  // namespace

Status HttpConfig::validate() const {
  auto bad = [](std::string_view field, std::string_view value, std::string_view why) {
    return util::invalid_argument("invalid ipfs " + std::string(field) + " " + util::quote(value) + ": " +
                                  std::string(why));
  };
  std::string_view url = api_url;
  std::size_t scheme = url.starts_with("http://") ? 7 : url.starts_with("https://") ? 8 : 0;
  if (scheme == 0) return bad("api url", url, "use http://HOST:PORT");
  std::string_view rest = url.substr(scheme);
  if (rest.empty() || rest.front() == ':' || rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return bad("api url", url, "use http://HOST:PORT, without a path (/api/v0 is added)");
  }
  const std::pair<std::string_view, util::Millis> timeouts[] = {{"connect_timeout", connect_timeout},
                                                                {"call_timeout", call_timeout},
                                                                {"pin_stall_timeout", pin_stall_timeout},
                                                                {"pin_add_timeout", pin_add_timeout},
                                                                {"pin_update_timeout", pin_update_timeout},
                                                                {"pin_ls_timeout", pin_ls_timeout},
                                                                {"add_timeout", add_timeout},
                                                                {"backoff_min", backoff_min},
                                                                {"backoff_max", backoff_max}};
  for (const auto& [name, value] : timeouts) {
    if (value.count() <= 0) return bad(name, util::format_duration(value), "must be more than 0");
  }
  if (backoff_min > backoff_max) {
    return bad("backoff_min", util::format_duration(backoff_min), "must not exceed backoff_max");
  }
  const std::pair<std::string_view, std::size_t> limits[] = {{"line_bytes_max", line_bytes_max},
                                                             {"body_bytes_max", body_bytes_max},
                                                             {"add_entries_max", add_entries_max}};
  for (const auto& [name, value] : limits) {
    if (value == 0) return bad(name, "0", "must be more than 0");
  }
  return Status::ok();
}

Result<std::unique_ptr<HttpConnector>> HttpConnector::create(HttpConfig config, util::Clock& clock) {
  CL_TRY_STATUS(config.validate());
  CURLcode rc = CURLE_OK;
  std::call_once(g_curl_init, [&rc] { rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (rc != CURLE_OK)
    return util::internal_error(std::string("curl_global_init failed: ") + curl_easy_strerror(rc));
  return std::unique_ptr<HttpConnector>(new HttpConnector(std::move(config), clock));
}

HttpConnector::HttpConnector(HttpConfig config, util::Clock& clock)
    : config_(std::move(config)), clock_(clock) {}

HttpConnector::~HttpConnector() {
  for (void* h : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* HttpConnector::take_handle() {
  {
    std::lock_guard lock(mu_);
    if (!idle_handles_.empty()) {
      void* h = idle_handles_.back();
      idle_handles_.pop_back();
      curl_easy_reset(static_cast<CURL*>(h));  // keeps its connection cache
      return h;
    }
  }
  return curl_easy_init();
}

void HttpConnector::give_handle(void* handle) {
  {
    std::lock_guard lock(mu_);
    if (idle_handles_.size() < config_.idle_handles_max) {
      idle_handles_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Status HttpConnector::check_backoff(const std::string& call) const {
  std::lock_guard lock(mu_);
  util::Nanos now = clock_.monotonic();
  if (connect_failures_ == 0 || now >= retry_at_) return Status::ok();
  return util::unavailable(call + ": daemon unreachable, not retrying for another " +
                           util::format_duration(ceil_millis(retry_at_ - now)) +
                           " (last attempt: " + last_connect_error_ + ")");
}

void HttpConnector::note_connect_failure(const std::string& error) {
  std::lock_guard lock(mu_);
  connect_failures_ = std::min(connect_failures_ + 1, 30);
  util::Millis delay = config_.backoff_min;
  for (int i = 1; i < connect_failures_ && delay < config_.backoff_max; ++i) delay *= 2;
  retry_at_ = clock_.monotonic() + std::min(delay, config_.backoff_max);
  last_connect_error_ = error;
}

void HttpConnector::note_connected() {
  std::lock_guard lock(mu_);
  connect_failures_ = 0;
  retry_at_ = util::Nanos(0);
}

Status HttpConnector::perform(CallSpec& spec, CallOutcome* outcome) {
  auto* handle = static_cast<CURL*>(take_handle());
  if (handle == nullptr) return util::internal_error("curl_easy_init failed (out of memory?)");
  HttpCall call(handle, config_, clock_, spec);
  if (Status st = check_backoff(call.describe()); !st.is_ok()) {
    give_handle(handle);
    return st;
  }
  Status st = call.run();
  give_handle(handle);
  if (call.connect_failed()) {
    note_connect_failure(call.connect_error());
  } else if (call.http_status() != 0) {
    note_connected();
  }
  if (outcome != nullptr) *outcome = {call.http_status(), call.daemon_message()};
  return st;
}

}  // namespace cl::ipfs
