#pragma once
// Output: results on stdout, one per item, as they come (DESIGN.md).
//   - json: one JSON object per line (compact), the default when stdout is not a terminal;
//   - text: an aligned table with a header, the default on a terminal.
// The table streams: column widths are taken from the first kSampleRows rows (held until then,
// or until finish()), and later rows use those widths; a longer cell pushes the rest of its row
// right instead of being cut, so nothing is lost. Memory is bounded by the sample.
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cl::tool {

enum class Format { json, text };

struct Column {
  std::string header;                                      // shown in upper case as given
  std::function<std::string(const nlohmann::json&)> cell;  // the cell of one item
};

// A column showing one field of the item with cell_text().
Column field_column(std::string header, std::string field);

// A JSON value as a table cell: strings as they are, numbers and booleans as JSON writes them,
// arrays joined with ',', objects as k=v joined with ',', null and missing as '-'.
std::string cell_text(const nlohmann::json& value);

class Writer {
 public:
  static constexpr std::size_t kSampleRows = 100;

  // `out` is borrowed (stdout in the tools). `columns` are used in text format only.
  Writer(Format format, std::vector<Column> columns, std::FILE* out = stdout);
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void write(const nlohmann::json& item);
  // Print what the sample still holds and flush. Called by the destructor too.
  void finish();
  // Flush what was written so far (the tools call it before they wait on the daemon, so a
  // reader downstream sees results while the tool works).
  void flush();
  std::size_t rows() const { return rows_; }

 private:
  void print_row(const std::vector<std::string>& cells);
  void release_sample();

  Format format_;
  std::vector<Column> columns_;
  std::FILE* out_;
  std::vector<std::vector<std::string>> sample_;
  std::vector<std::size_t> widths_;
  bool widths_fixed_ = false;
  bool finished_ = false;
  std::size_t rows_ = 0;
  std::string line_;
};

}  // namespace cl::tool
