#include "targets.hpp"

#include <curl/curl.h>
#include <openssl/evp.h>

#include <string_view>
#include <vector>

#include "cid/cid.hpp"

namespace cl::bench {

namespace {

std::string b64(std::string_view s) {
  std::string out(4 * ((s.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

// The same ~211-byte pin JSON the reference wrk script stores (etcd does not look inside).
const std::string& etcd_value_b64() {
  static const std::string v =
      b64(R"({"cid":"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi","name":"bench-pin",)"
          R"("allocations":["12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo"],)"
          R"("replication_factor_min":-1,"type":2,"max_depth":-1})");
  return v;
}

std::size_t append_body(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

// One keep-alive HTTP connection (a libcurl easy handle).
class Http {
 public:
  Http() : h_(curl_easy_init()) {
    headers_ = curl_slist_append(nullptr, "Content-Type: application/json");
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, headers_);
    curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(h_, CURLOPT_WRITEDATA, &body_);
    curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h_, CURLOPT_TCP_NODELAY, 1L);
  }
  ~Http() {
    curl_easy_cleanup(h_);
    curl_slist_free_all(headers_);
  }
  Http(const Http&) = delete;
  Http& operator=(const Http&) = delete;

  util::Result<std::string> post(const std::string& url, const std::string& body, int timeout_ms) {
    body_.clear();
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(h_, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_ms));
    const CURLcode rc = curl_easy_perform(h_);
    if (rc != CURLE_OK) return util::unavailable("post " + url + ": " + curl_easy_strerror(rc));
    long status = 0;
    curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200)
      return util::unavailable("post " + url + ": http " + std::to_string(status) + ": " + body_);
    return body_;
  }

 private:
  CURL* h_;
  curl_slist* headers_ = nullptr;
  std::string body_;
};

class ClTarget final : public Target {
 public:
  explicit ClTarget(api::Client c) : client_(std::move(c)) {}
  util::Status write(const std::string& cid, int timeout_ms) override {
    auto r =
        client_.call("pin.add", api::Json{{"cid", cid}, {"name", "bench-pin"}}, util::Millis(timeout_ms));
    return r.is_ok() ? util::Status::ok() : r.status();
  }

 private:
  api::Client client_;
};

class EtcdTarget final : public Target {
 public:
  explicit EtcdTarget(std::string base) : url_(std::move(base) + "/v3/kv/put") {}
  util::Status write(const std::string& cid, int timeout_ms) override {
    body_ = R"({"key":")" + b64("/pins/" + cid) + R"(","value":")" + etcd_value_b64() + "\"}";
    auto r = http_.post(url_, body_, timeout_ms);
    if (!r) return r.status();
    if (r->find("\"header\"") == std::string::npos) return util::unavailable("etcd put: " + *r);
    return util::Status::ok();
  }

 private:
  std::string url_;
  std::string body_;
  Http http_;
};

// The value of "key":"..." or "key":123 in a flat JSON text (etcd's gateway prints uint64s as strings).
std::string json_field(const std::string& text, const std::string& key) {
  const auto at = text.find("\"" + key + "\":");
  if (at == std::string::npos) return "";
  auto p = at + key.size() + 3;
  if (p < text.size() && text[p] == '"') ++p;
  auto end = text.find_first_of("\",}", p);
  return text.substr(p, end == std::string::npos ? std::string::npos : end - p);
}

}  // namespace

util::Result<std::string> http_post(const std::string& url, const std::string& body, int timeout_ms) {
  Http h;
  return h.post(url, body, timeout_ms);
}

std::string bench_cid(std::uint64_t tag, std::uint64_t writer, std::uint64_t n) {
  const std::string seed = std::to_string(tag) + "/" + std::to_string(writer) + "/" + std::to_string(n);
  const auto mh = cid::Multihash::sha2_256(seed);
  return cid::Cid::v1(cid::Codec::raw, mh).to_string();
}

util::Result<std::unique_ptr<Target>> make_target(const std::string& kind, const std::string& endpoint) {
  if (kind == "etcd") return std::unique_ptr<Target>(std::make_unique<EtcdTarget>(endpoint));
  auto c = api::Client::connect(endpoint, util::Millis(5'000));
  if (!c) return c.status();
  return std::unique_ptr<Target>(std::make_unique<ClTarget>(std::move(*c)));
}

int find_leader(const std::string& kind, const std::vector<std::string>& endpoints) {
  if (kind == "etcd") {
    std::vector<std::string> ids(endpoints.size());
    std::string leader;
    for (std::size_t i = 0; i < endpoints.size(); ++i) {
      auto r = http_post(endpoints[i] + "/v3/maintenance/status", "{}", 1'000);
      if (!r) continue;
      ids[i] = json_field(*r, "member_id");
      if (leader.empty()) leader = json_field(*r, "leader");
    }
    for (std::size_t i = 0; i < endpoints.size(); ++i)
      if (!leader.empty() && ids[i] == leader) return static_cast<int>(i);
    return -1;
  }
  int best = -1;
  std::int64_t best_term = -1;
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    auto c = api::Client::connect(endpoints[i], util::Millis(1'000));
    if (!c) continue;
    auto h = c->call("health", api::Json::object(), util::Millis(1'000));
    if (!h || h->value("role", "") != "leader") continue;
    const auto term = h->value("term", std::int64_t{0});
    if (term > best_term) best = static_cast<int>(i), best_term = term;
  }
  return best;
}

bool all_ready(const std::string& kind, const std::vector<std::string>& endpoints, std::size_t voters) {
  for (const auto& e : endpoints) {
    if (kind == "etcd") {
      if (!http_post(e + "/v3/kv/range", R"({"key":")" + b64("health") + "\"}", 1'000)) return false;
      continue;
    }
    auto c = api::Client::connect(e, util::Millis(1'000));
    if (!c) return false;
    auto h = c->call("health", api::Json::object(), util::Millis(1'000));
    if (!h || h->value("status", "") != "ok" || h->value("voters", std::size_t{0}) < voters) return false;
  }
  return true;
}

}  // namespace cl::bench
