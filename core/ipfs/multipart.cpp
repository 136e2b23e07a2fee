#include "ipfs/multipart.hpp"

#include <algorithm>
#include <string>
#include <system_error>
#include <vector>

namespace cl::ipfs::detail {

namespace fs = std::filesystem;

namespace {

class BodyBuilder {
 public:
  BodyBuilder(CURL* handle, std::size_t entries_max)
      : mime_(curl_mime_init(handle)), entries_max_(entries_max) {}

  Result<MimePtr> finish() { return std::move(mime_); }

  Status add_bytes(const std::string& name, const std::string& content) {
    CL_TRY_STATUS(count(name));
    curl_mimepart* part = new_part(name, "application/octet-stream");
    curl_mime_data(part, content.data(), content.size());
    return Status::ok();
  }

  Status add_file(const fs::path& file, const std::string& name) {
    CL_TRY_STATUS(count(name));
    curl_mimepart* part = curl_mime_addpart(mime_.get());
    // filedata first: it sets the filename to the file's base name, which we then replace.
    if (curl_mime_filedata(part, file.c_str()) != CURLE_OK) {
      return util::io_error("cannot read " + util::quote(file.string()) + " for upload");
    }
    curl_mime_name(part, "file");
    curl_mime_filename(part, url_escape(name).c_str());
    curl_mime_type(part, "application/octet-stream");
    return Status::ok();
  }

  // A directory and, depth first in name order, everything below it.
  Status add_tree(const fs::path& dir, const std::string& name) {
    CL_TRY_STATUS(count(name));
    curl_mimepart* part = new_part(name, "application/x-directory");
    curl_mime_data(part, "", 0);
    std::error_code ec;
    std::vector<fs::directory_entry> children;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      children.push_back(*it);
      if (children.size() > entries_max_) return too_many(name);
    }
    if (ec) return util::io_error("cannot list " + util::quote(dir.string()) + ": " + ec.message());
    std::sort(children.begin(), children.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    for (const auto& child : children) {
      std::string child_name = name + "/" + child.path().filename().string();
      CL_TRY_STATUS(add_path(child.path(), child_name));
    }
    return Status::ok();
  }

  Status add_path(const fs::path& path, const std::string& name) {
    std::error_code ec;
    auto st = fs::symlink_status(path, ec);
    if (ec) return util::invalid_argument("cannot add " + util::quote(path.string()) + ": " + ec.message());
    if (fs::is_regular_file(st)) return add_file(path, name);
    if (fs::is_directory(st)) return add_tree(path, name);
    return util::invalid_argument("cannot add " + util::quote(path.string()) +
                                  ": not a regular file or directory (symlinks and special files are not "
                                  "uploaded; remove it or add its target)");
  }

 private:
  curl_mimepart* new_part(const std::string& name, const char* type) {
    curl_mimepart* part = curl_mime_addpart(mime_.get());
    curl_mime_name(part, "file");
    curl_mime_filename(part, url_escape(name).c_str());
    curl_mime_type(part, type);
    return part;
  }

  Status count(const std::string& name) {
    if (++entries_ > entries_max_) return too_many(name);
    return Status::ok();
  }

  Status too_many(const std::string& name) const {
    return util::resource_exhausted("upload has more than " + std::to_string(entries_max_) +
                                    " files and directories (at " + util::quote(name) +
                                    "); add it in parts or raise the limit");
  }

  MimePtr mime_;
  std::size_t entries_max_;
  std::size_t entries_ = 0;
};

}  // namespace

Result<MimePtr> build_add_body(CURL* handle, const AddRequest& request, std::size_t entries_max) {
  BodyBuilder body(handle, entries_max);
  if (request.content) {
    if (request.name.empty()) return util::invalid_argument("add of content needs a file name");
    CL_TRY_STATUS(body.add_bytes(request.name, *request.content));
    return body.finish();
  }
  if (request.path.empty()) return util::invalid_argument("add needs a path or content");
  // "dir/", "dir/." and "." name the directory by its own name, as Kubo's CLI does.
  std::error_code ec;
  fs::path clean = fs::absolute(request.path, ec).lexically_normal();
  if (!clean.has_filename()) clean = clean.parent_path();
  std::string name = clean.filename().string();
  if (ec || name.empty()) {
    return util::invalid_argument("cannot add " + util::quote(request.path.string()) + ": no file name");
  }
  CL_TRY_STATUS(body.add_path(request.path, name));
  return body.finish();
}

}  // namespace cl::ipfs::detail
