// cl-sync import: check every line first, then add the pins in batches, or replace the pinset.
//
// Pass 1 reads the input once, checks each line (a JSON object that is a valid pin) and copies
// the good lines to an unnamed temporary file, so that input of any size (a pipe included) is
// checked in bounded memory before anything changes. Any bad line: each is reported with its
// number, nothing is imported, exit 1. Pass 2 reads the temporary file back in batches of at
// most kImportBatchPinsMax pins and kImportBatchBytesMax bytes.
#include <cstdio>

#include "pin/pin_json.hpp"
#include "sync_commands.hpp"
#include "tool/each.hpp"
#include "tool/items.hpp"

namespace cl::sync_cli {

namespace {

using api::Json;

struct Spool {
  std::FILE* file = nullptr;
  std::uint64_t pins = 0;
  ~Spool() {
    if (file != nullptr) std::fclose(file);
  }
};

util::Status check_pin_line(const std::string& text) {
  if (text.empty() || text.front() != '{') {
    return util::invalid_argument("expected a json object (a line of cl-sync export), got " +
                                  util::quote(text));
  }
  auto j = tool::parse_json_object(text);
  if (!j) return j.status();
  auto p = pin::pin_from_json(*j);
  if (!p) return p.status();
  return pin::validate(*p);
}

// Pass 1. Returns false when the input could not be read or had bad lines (reported).
bool check_and_spool(tool::Context& ctx, tool::Input& input, Spool& spool) {
  spool.file = std::tmpfile();
  if (spool.file == nullptr) {
    ctx.error("cannot create a temporary file to hold the checked pins; set TMPDIR to a writable directory");
    ctx.outcome().item_failed();
    return false;
  }
  std::uint64_t bad = 0;
  for (;;) {
    auto item = input.next();
    if (!item) {
      ctx.error(item.status().message());
      ctx.outcome().item_failed();
      return false;
    }
    if (!*item) break;
    const tool::InputItem& it = **item;
    util::Status st = it.status.is_ok() ? check_pin_line(it.text) : it.status;
    if (!st.is_ok()) {
      ctx.item_failed(it.origin, st);
      ++bad;
      continue;
    }
    if (std::fwrite(it.text.data(), 1, it.text.size(), spool.file) != it.text.size() ||
        std::fputc('\n', spool.file) == EOF) {
      ctx.error("cannot write the temporary file of checked pins (disk full?); nothing was imported");
      ctx.outcome().item_failed();
      return false;
    }
    ++spool.pins;
  }
  if (bad > 0) {
    ctx.error(std::to_string(bad) +
              " bad lines; nothing was imported (fix them, or drop them, and import again)");
    return false;
  }
  if (std::fflush(spool.file) != 0 || std::fseek(spool.file, 0, SEEK_SET) != 0) {
    ctx.error("cannot read back the temporary file of checked pins; nothing was imported");
    ctx.outcome().item_failed();
    return false;
  }
  return true;
}

// Pass 2: hand each batch to `send`; false when it failed (reported by send).
bool for_each_batch(tool::Context& ctx, Spool& spool, const std::function<bool(Json pins)>& send) {
  tool::LineReader reader(spool.file, "the temporary file");
  Json batch = Json::array();
  std::size_t bytes = 0;
  for (;;) {
    auto line = reader.next();
    if (line.kind == tool::LineReader::Kind::error) {
      ctx.error(line.error.message());
      ctx.outcome().item_failed();
      return false;
    }
    if (line.kind == tool::LineReader::Kind::end) break;
    if (!batch.empty() &&
        (batch.size() >= kImportBatchPinsMax || bytes + line.text.size() > kImportBatchBytesMax)) {
      if (!send(std::move(batch))) return false;
      batch = Json::array();
      bytes = 0;
    }
    bytes += line.text.size() + 1;
    batch.push_back(Json::parse(line.text));  // checked in pass 1
  }
  return batch.empty() || send(std::move(batch));
}

int import_add(tool::Context& ctx, api::Client& client, Spool& spool) {
  std::uint64_t added = 0, unchanged = 0, errors = 0;
  bool ok = for_each_batch(ctx, spool, [&](Json pins) {
    auto r = tool::call_one(ctx, client, "state.import", Json{{"pins", std::move(pins)}}, ctx.timeout());
    if (!r) return false;
    added += r->value("added", std::uint64_t{0});
    unchanged += r->value("unchanged", std::uint64_t{0});
    for (const auto& e : r->value("errors", Json::array())) {
      ++errors;
      ctx.item_failed(e.value("cid", std::string("?")),
                      util::invalid_argument(e.value("error", std::string())));
    }
    return true;
  });
  tool::Writer out(ctx.format(),
                   {tool::field_column("ADDED", "added"), tool::field_column("UNCHANGED", "unchanged"),
                    tool::field_column("ERRORS", "errors")});
  out.write(Json{{"added", added}, {"unchanged", unchanged}, {"errors", errors}, {"complete", ok}});
  out.finish();
  if (!ok) ctx.error("the import stopped; the batches before the failure were imported");
  return ctx.outcome().exit_status();
}

int import_replace(tool::Context& ctx, api::Client& client, Spool& spool) {
  auto begin = tool::call_one(ctx, client, "state.import", Json{{"replace", "begin"}}, ctx.timeout());
  if (!begin) return ctx.outcome().exit_status();
  const std::string token = begin->value("token", "");
  bool ok = for_each_batch(ctx, spool, [&](Json pins) {
    auto r =
        tool::call_one(ctx, client, "state.import",
                       Json{{"replace", "put"}, {"token", token}, {"pins", std::move(pins)}}, ctx.timeout());
    if (!r) return false;
    for (const auto& e : r->value("errors", Json::array())) {
      ctx.item_failed(e.value("cid", std::string("?")),
                      util::invalid_argument(e.value("error", std::string())));
    }
    return r->value("errors", Json::array()).empty();
  });
  if (!ok) {
    if (client.is_open()) {
      (void)client.call("state.import", Json{{"replace", "abort"}, {"token", token}}, ctx.timeout());
    }
    ctx.error("the replace was aborted; the pinset is unchanged");
    return ctx.outcome().exit_status();
  }
  auto commit = tool::call_one(ctx, client, "state.import", Json{{"replace", "commit"}, {"token", token}},
                               ctx.timeout());
  if (!commit) return ctx.outcome().exit_status();
  tool::Writer out(ctx.format(),
                   {tool::field_column("REPLACED", "replaced"), tool::field_column("PINS", "pins")});
  out.write(Json{{"replaced", true}, {"pins", spool.pins}});
  out.finish();
  return ctx.outcome().exit_status();
}

}  // namespace

int run_import(tool::Context& ctx, const ImportFlags& f) {
  if ((f.file.empty() || f.file == "-") && tool::is_terminal(stdin)) {
    return ctx.usage(
        "nothing to import: pipe JSON lines on stdin (cl-sync export > pins.jsonl; "
        "cl-sync import < pins.jsonl) or give a file");
  }
  auto input = tool::Input::from_file(f.file, stdin);
  if (!input) {
    ctx.error(input.status().message());
    ctx.outcome().item_failed();
    return ctx.outcome().exit_status();
  }
  Spool spool;
  if (!check_and_spool(ctx, *input, spool)) return ctx.outcome().exit_status();
  ctx.debug(std::to_string(spool.pins) + " pins checked");
  if (f.dry_run) {
    ctx.info(std::to_string(spool.pins) + " pins checked; nothing imported (--dry-run)");
    return ctx.outcome().exit_status();
  }
  auto client = ctx.connect();
  if (!client) return ctx.outcome().exit_status();
  return f.replace ? import_replace(ctx, *client, spool) : import_add(ctx, *client, spool);
}

}  // namespace cl::sync_cli
