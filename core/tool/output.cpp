#include "tool/output.hpp"

namespace cl::tool {

std::string cell_text(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    if (v.empty()) return "-";
    std::string out;
    for (const auto& e : v) {
      if (!out.empty()) out += ',';
      out += cell_text(e);
    }
    return out;
  }
  if (v.is_object()) {
    if (v.empty()) return "-";
    std::string out;
    for (const auto& [k, e] : v.items()) {
      if (!out.empty()) out += ',';
      out += k + "=" + cell_text(e);
    }
    return out;
  }
  return v.dump();
}

Column field_column(std::string header, std::string field) {
  return Column{std::move(header), [field = std::move(field)](const nlohmann::json& item) {
                  auto it = item.find(field);
                  return it == item.end() ? std::string("-") : cell_text(*it);
                }};
}

Writer::Writer(Format format, std::vector<Column> columns, std::FILE* out)
    : format_(format), columns_(std::move(columns)), out_(out) {
  widths_.resize(columns_.size());
  for (std::size_t i = 0; i < columns_.size(); ++i) widths_[i] = columns_[i].header.size();
}

Writer::~Writer() {
  finish();
}

void Writer::write(const nlohmann::json& item) {
  ++rows_;
  if (format_ == Format::json) {
    line_ = item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line_ += '\n';
    std::fwrite(line_.data(), 1, line_.size(), out_);
    return;
  }
  std::vector<std::string> cells;
  cells.reserve(columns_.size());
  for (const auto& c : columns_) cells.push_back(c.cell(item));
  if (widths_fixed_) {
    print_row(cells);
    return;
  }
  for (std::size_t i = 0; i < cells.size(); ++i) widths_[i] = std::max(widths_[i], cells[i].size());
  sample_.push_back(std::move(cells));
  if (sample_.size() >= kSampleRows) release_sample();
}

void Writer::release_sample() {
  if (widths_fixed_) return;
  widths_fixed_ = true;
  std::vector<std::string> header;
  for (const auto& c : columns_) header.push_back(c.header);
  print_row(header);
  for (const auto& row : sample_) print_row(row);
  sample_.clear();
  sample_.shrink_to_fit();
}

void Writer::print_row(const std::vector<std::string>& cells) {
  line_.clear();
  for (std::size_t i = 0; i < cells.size(); ++i) {
    line_ += cells[i];
    if (i + 1 < cells.size()) {
      std::size_t pad = cells[i].size() < widths_[i] ? widths_[i] - cells[i].size() : 0;
      line_.append(pad + 2, ' ');
    }
  }
  line_ += '\n';
  std::fwrite(line_.data(), 1, line_.size(), out_);
}

void Writer::flush() {
  std::fflush(out_);
}

void Writer::finish() {
  if (finished_) return;
  finished_ = true;
  if (format_ == Format::text && rows_ > 0) release_sample();
  std::fflush(out_);
}

}  // namespace cl::tool
