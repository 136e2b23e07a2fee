#include "raft/memory_storage.hpp"

#include "raft/log.hpp"

namespace cl::raft {

using util::Result;
using util::Status;

MemoryStorage::MemoryStorage() {
  entries_.push_back(Entry{});
}

Result<InitialState> MemoryStorage::initial_state() const {
  return InitialState{hard_state_, conf_};
}

Result<std::vector<Entry>> MemoryStorage::entries(Index lo, Index hi, std::uint64_t bytes_max) const {
  const Index offset = entries_.front().index;
  if (lo <= offset) return util::not_found("log index " + std::to_string(lo) + " is compacted");
  if (hi > last_index() + 1)
    return util::not_found("log index " + std::to_string(hi - 1) + " is beyond the log");
  std::vector<Entry> out;
  std::uint64_t bytes = 0;
  for (Index i = lo; i < hi; ++i) {
    const Entry& e = entries_[i - offset];
    bytes += entry_size_bytes(e);
    if (!out.empty() && bytes > bytes_max) break;
    out.push_back(e);
  }
  return out;
}

Result<Term> MemoryStorage::term(Index i) const {
  const Index offset = entries_.front().index;
  if (i < offset) return util::not_found("log index " + std::to_string(i) + " is compacted");
  if (i > last_index()) return util::not_found("log index " + std::to_string(i) + " is beyond the log");
  return entries_[i - offset].term;
}

Result<SnapshotMeta> MemoryStorage::snapshot_meta() const {
  if (snapshot_unavailable_) return util::unavailable("snapshot not ready");
  if (snapshot_.index < entries_.front().index)
    return util::unavailable("no snapshot covers the compacted log yet");
  return snapshot_;
}

Result<SnapshotChunk> MemoryStorage::snapshot_chunk(Index snapshot_index, std::uint64_t offset,
                                                    std::uint64_t bytes_max) const {
  if (snapshot_index != snapshot_.index)
    return util::not_found("snapshot at " + std::to_string(snapshot_index) + " was replaced");
  if (offset > snapshot_data_.size())
    return util::invalid_argument("snapshot offset " + std::to_string(offset) + " is past its end");
  SnapshotChunk chunk;
  chunk.data = snapshot_data_.substr(offset, bytes_max);
  chunk.last = offset + chunk.data.size() == snapshot_data_.size();
  return chunk;
}

Status MemoryStorage::append(std::vector<Entry> entries) {
  if (entries.empty()) return Status::ok();
  const Index offset = entries_.front().index;
  for (std::size_t i = 1; i < entries.size(); ++i)
    if (entries[i].index != entries[i - 1].index + 1)
      return util::invalid_argument("entries are not contiguous");
  if (entries.front().index > last_index() + 1)
    return util::invalid_argument("append at " + std::to_string(entries.front().index) +
                                  " leaves a gap after " + std::to_string(last_index()));
  std::size_t skip = 0;
  while (skip < entries.size() && entries[skip].index <= offset) ++skip;
  if (skip == entries.size()) return Status::ok();
  const Index first = entries[skip].index;
  entries_.resize(first - offset);
  for (std::size_t i = skip; i < entries.size(); ++i) entries_.push_back(std::move(entries[i]));
  return Status::ok();
}

Status MemoryStorage::create_snapshot(Index index, const ConfState& conf, std::string data) {
  if (index < snapshot_.index)
    return util::invalid_argument("snapshot at " + std::to_string(index) + " is older than the one at " +
                                  std::to_string(snapshot_.index));
  if (index > last_index() || index < entries_.front().index)
    return util::invalid_argument("snapshot index " + std::to_string(index) + " is outside the log");
  snapshot_.index = index;
  snapshot_.term = entries_[index - entries_.front().index].term;
  snapshot_.conf = conf;
  snapshot_.size_bytes = data.size();
  snapshot_data_ = std::move(data);
  return Status::ok();
}

Status MemoryStorage::compact(Index index) {
  const Index offset = entries_.front().index;
  if (index <= offset) return Status::ok();
  if (index > last_index())
    return util::invalid_argument("compact at " + std::to_string(index) + " is beyond the last index " +
                                  std::to_string(last_index()));
  const std::size_t cut = index - offset;
  Entry dummy{entries_[cut].term, index, EntryType::normal, {}};
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<std::ptrdiff_t>(cut));
  entries_.front() = std::move(dummy);
  return Status::ok();
}

void MemoryStorage::apply_snapshot(const SnapshotMeta& meta, std::string data) {
  entries_.clear();
  entries_.push_back(Entry{meta.term, meta.index, EntryType::normal, {}});
  snapshot_ = meta;
  snapshot_data_ = std::move(data);
  conf_ = meta.conf;
  if (hard_state_.commit < meta.index) hard_state_.commit = meta.index;
}

}  // namespace cl::raft
