// HttpConnector's endpoints: the arguments each one sends and how its reply is read.
// (The transport, timeouts and backoff are in http_connector.cpp and http_call.cpp.)
#include <nlohmann/json.hpp>

#include "ipfs/http_call.hpp"
#include "ipfs/http_connector.hpp"
#include "ipfs/json_reply.hpp"
#include "ipfs/multipart.hpp"

namespace cl::ipfs {

using detail::CallSpec;
using detail::HttpCall;
using nlohmann::json;

namespace {

// Durations go to the daemon in milliseconds: Go's time.ParseDuration and js-ipfs's
// parse-duration both read "1500ms".
std::string daemon_duration(util::Millis d) {
  return std::to_string(d.count()) + "ms";
}

std::string bool_arg(bool b) {
  return b ? "true" : "false";
}

// js-ipfs: "... is not pinned"; Kubo: "not pinned or pinned indirectly", "'from' cid was not
// recursively pinned already".
bool says_not_pinned(const std::string& message) {
  return message.find("not pinned") != std::string::npos ||
         message.find("not recursively pinned") != std::string::npos;
}

// A call whose 200 reply is one JSON object, handed to on_reply.
CallSpec whole_call(std::string path, std::string subject, util::Millis timeout,
                    std::function<Status(const json&)> on_reply) {
  CallSpec spec;
  spec.path = std::move(path);
  spec.subject = std::move(subject);
  spec.timeout = timeout;
  spec.on_line = [on_reply = std::move(on_reply)](std::string_view text, HttpCall& call) -> Status {
    auto reply = detail::parse_object(text);
    if (!reply) return reply.status().with_context(call.describe());
    return on_reply(*reply).with_context(call.describe());
  };
  return spec;
}

// The parsed value of a whole_call: parse(reply) stored into out.
template <class T, class Parse>
std::function<Status(const json&)> store_into(std::optional<T>& out, Parse parse) {
  return [&out, parse](const json& reply) -> Status {
    auto value = parse(reply);
    if (!value) return value.status();
    out = std::move(*value);
    return Status::ok();
  };
}

// A streamed (ndjson) line: parsed, and refused when it is an error object.
Result<json> stream_line(std::string_view text, HttpCall& call) {
  auto line = detail::parse_object(text);
  if (!line) return line.status().with_context(call.describe());
  if (auto error = detail::error_line(*line)) {
    return util::internal_error(call.describe() + ": daemon reported an error " + util::quote(*error, 300));
  }
  return line;
}

}  // namespace

Result<NodeInfo> HttpConnector::id() {
  std::optional<NodeInfo> out;
  CallSpec spec = whole_call("id", "", config_.call_timeout, store_into(out, detail::parse_node_info));
  CL_TRY_STATUS(perform(spec));
  return std::move(*out);
}

Result<VersionInfo> HttpConnector::version() {
  std::optional<VersionInfo> out;
  CallSpec spec = whole_call("version", "", config_.call_timeout, store_into(out, detail::parse_version));
  CL_TRY_STATUS(perform(spec));
  return std::move(*out);
}

Status HttpConnector::pin_add(const Cid& cid, const PinAddOptions& options) {
  CallSpec spec;
  spec.path = "pin/add";
  spec.subject = util::quote(cid.to_string());
  spec.args = {{"arg", cid.to_string()},
               {"recursive", bool_arg(options.type == PinType::recursive)},
               {"progress", "true"},
               {"timeout", daemon_duration(config_.pin_add_timeout)}};
  spec.streamed = true;  // Kubo streams {"Progress":N} lines; js-ipfs sends only the final line
  spec.timeout = config_.pin_add_timeout;
  spec.stall_timeout = options.stall_timeout.count() > 0 ? options.stall_timeout : config_.pin_stall_timeout;
  spec.cancel = options.cancel;
  std::optional<std::uint64_t> progress;
  bool pinned = false;
  spec.on_line = [&](std::string_view text, HttpCall& call) -> Status {
    auto line = stream_line(text, call);
    if (!line) return line.status();
    auto blocks = detail::parse_pin_progress(*line);
    if (!blocks) return blocks.status().with_context(call.describe());
    if (*blocks) {
      if (progress != *blocks) {
        progress = *blocks;
        call.note_progress();
        if (options.on_progress) options.on_progress(**blocks);
      }
      return Status::ok();
    }
    CL_TRY_STATUS(detail::check_pins_reply(*line).with_context(call.describe()));
    pinned = true;
    return Status::ok();
  };
  CL_TRY_STATUS(perform(spec));
  if (!pinned) {
    return util::corrupt("ipfs pin/add " + spec.subject + " at " + config_.api_url +
                         ": the reply ended without the final {\"Pins\":[...]} line");
  }
  return Status::ok();
}

Status HttpConnector::pin_rm(const Cid& cid, const CancelFlag* cancel) {
  CallSpec spec =
      whole_call("pin/rm", util::quote(cid.to_string()), config_.call_timeout, detail::check_pins_reply);
  spec.args = {{"arg", cid.to_string()}, {"recursive", "true"}};
  spec.cancel = cancel;
  CallOutcome outcome;
  Status st = perform(spec, &outcome);
  // js-ipfs: 500 "Failed to remove pin: <cid> is not pinned"; Kubo: "not pinned or pinned indirectly".
  if (!st.is_ok() && outcome.http_status == 500 && says_not_pinned(outcome.daemon_message))
    return Status::ok();
  return st;
}

Status HttpConnector::pin_ls(PinType type, const PinSink& on_pin) {
  CallSpec spec;
  spec.path = "pin/ls";
  spec.subject = std::string(pin_type_name(type));
  spec.args = {{"type", std::string(pin_type_name(type))}, {"stream", "true"}};
  spec.streamed = true;
  spec.timeout = config_.pin_ls_timeout;
  spec.on_line = [&](std::string_view text, HttpCall& call) -> Status {
    auto line = stream_line(text, call);
    if (!line) return line.status();
    if (auto keys = line->find("Keys"); keys != line->end() && keys->is_object()) {
      // A daemon that ignores stream=true answers {"Keys":{"<cid>":{"Type":"recursive"},...}}.
      for (const auto& [cid, value] : keys->items()) {
        json entry = value;
        entry["Cid"] = cid;
        auto pin = detail::parse_pin_line(entry);
        if (!pin) return pin.status().with_context(call.describe());
        CL_TRY_STATUS(on_pin(*pin));
      }
      return Status::ok();
    }
    auto pin = detail::parse_pin_line(*line);
    if (!pin) return pin.status().with_context(call.describe());
    return on_pin(*pin);
  };
  return perform(spec);
}

Status HttpConnector::pin_update(const Cid& from, const Cid& to, bool unpin, const CancelFlag* cancel) {
  CallSpec spec =
      whole_call("pin/update", util::quote(from.to_string()) + " -> " + util::quote(to.to_string()),
                 config_.pin_update_timeout, detail::check_pins_reply);
  spec.args = {{"arg", from.to_string()}, {"arg", to.to_string()}, {"unpin", bool_arg(unpin)}};
  spec.cancel = cancel;
  CallOutcome outcome;
  Status st = perform(spec, &outcome);
  if (st.is_ok()) return st;
  if (outcome.http_status == 500 && says_not_pinned(outcome.daemon_message)) {
    return util::not_found(st.message() + " (" + util::quote(from.to_string()) +
                           " must be pinned recursively first)");
  }
  if (outcome.http_status != 404) return st;
  // js-ipfs has no pin/update (404): check that FROM is pinned recursively, pin TO, then with
  // unpin remove FROM. Not atomic, unlike Kubo's.
  CallSpec check = whole_call("pin/ls", util::quote(from.to_string()), config_.call_timeout,
                              [](const json&) { return Status::ok(); });
  check.args = {{"arg", from.to_string()}, {"type", "recursive"}};
  check.cancel = cancel;
  Status listed = perform(check, &outcome);
  if (!listed.is_ok() && outcome.http_status == 500 && says_not_pinned(outcome.daemon_message)) {
    return util::not_found("ipfs pin/update " + spec.subject + " at " + config_.api_url + ": " +
                           util::quote(from.to_string()) + " is not pinned recursively; pin it first");
  }
  CL_TRY_STATUS(listed);
  PinAddOptions add;
  add.cancel = cancel;
  add.stall_timeout = config_.pin_update_timeout;
  CL_TRY_STATUS(pin_add(to, add));
  return unpin ? pin_rm(from, cancel) : Status::ok();
}

Result<RepoStat> HttpConnector::repo_stat() {
  std::optional<RepoStat> out;
  CallSpec spec = whole_call("repo/stat", "", config_.call_timeout, store_into(out, detail::parse_repo_stat));
  CL_TRY_STATUS(perform(spec));
  return std::move(*out);
}

Status HttpConnector::swarm_connect(std::string_view multiaddr) {
  CallSpec spec =
      whole_call("swarm/connect", util::quote(multiaddr, 300), config_.call_timeout, [](const json& reply) {
        // {"Strings":["connect <peer> success"]}
        auto strings = reply.find("Strings");
        if (strings != reply.end() && strings->is_array()) {
          for (const auto& s : *strings) {
            if (s.is_string() && s.get_ref<const std::string&>().find("success") != std::string::npos) {
              return Status::ok();
            }
          }
        }
        return util::internal_error("daemon did not report success: " + util::quote(reply.dump(), 300));
      });
  spec.args = {{"arg", std::string(multiaddr)}};
  return perform(spec);
}

Result<std::vector<SwarmPeer>> HttpConnector::swarm_peers() {
  std::optional<std::vector<SwarmPeer>> out;
  CallSpec spec =
      whole_call("swarm/peers", "", config_.call_timeout, store_into(out, detail::parse_swarm_peers));
  CL_TRY_STATUS(perform(spec));
  return std::move(*out);
}

Result<AddedEntry> HttpConnector::add(const AddRequest& request, const AddSink& on_entry) {
  CallSpec spec;
  spec.path = "add";
  spec.subject = util::quote(request.content ? request.name : request.path.string());
  spec.args = {{"pin", bool_arg(request.pin)}, {"wrap-with-directory", bool_arg(request.wrap)}};
  if (request.cid_version != 0) {
    if (request.cid_version != 1) {
      return util::invalid_argument("invalid cid version " + std::to_string(request.cid_version) +
                                    ": use 0 or 1");
    }
    spec.args.push_back({"cid-version", "1"});
  }
  spec.streamed = true;
  spec.timeout = config_.add_timeout;
  spec.cancel = request.cancel;
  std::size_t entries_max = config_.add_entries_max;
  spec.make_body = [&request, entries_max](CURL* handle) {
    return detail::build_add_body(handle, request, entries_max);
  };
  std::optional<AddedEntry> last;
  spec.on_line = [&](std::string_view text, HttpCall& call) -> Status {
    auto line = stream_line(text, call);
    if (!line) return line.status();
    auto entry = detail::parse_add_line(*line);
    if (!entry) return entry.status().with_context(call.describe());
    if (!*entry) return Status::ok();  // a progress line
    if (on_entry) CL_TRY_STATUS(on_entry(**entry));
    last = std::move(**entry);
    return Status::ok();
  };
  CL_TRY_STATUS(perform(spec));
  if (!last) {
    return util::corrupt("ipfs add " + spec.subject + " at " + config_.api_url +
                         ": the reply named no added entry");
  }
  return std::move(*last);
}

Result<BlockStat> HttpConnector::block_stat(const Cid& cid) {
  std::optional<BlockStat> out;
  CallSpec spec = whole_call("block/stat", util::quote(cid.to_string()), config_.call_timeout,
                             store_into(out, detail::parse_block_stat));
  // The daemon waits for a block it does not have: make it give up when we do.
  spec.args = {{"arg", cid.to_string()}, {"timeout", daemon_duration(config_.call_timeout)}};
  CL_TRY_STATUS(perform(spec));
  return std::move(*out);
}

}  // namespace cl::ipfs
