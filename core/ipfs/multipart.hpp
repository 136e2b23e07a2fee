#pragma once
// The multipart/form-data body of /api/v0/add, in the form Kubo's own client sends: one part per
// file and per directory, all named "file", the path in the part's filename, percent-encoded
// (slashes too: Go's multipart reader would otherwise cut it to its last element); directories
// are empty parts of type application/x-directory that come before their contents.
// Files are streamed from disk by libcurl as the upload proceeds. Internal to the ipfs module.
#include <cstddef>

#include "ipfs/http_call.hpp"
#include "ipfs/types.hpp"

namespace cl::ipfs::detail {

// Builds the body for request on handle. Errors: invalid_argument for a path that is missing or
// holds something other than regular files and directories (symlinks, devices: named, so the
// caller can remove them); resource_exhausted past entries_max entries; io_error when a
// directory cannot be read.
Result<MimePtr> build_add_body(CURL* handle, const AddRequest& request, std::size_t entries_max);

}  // namespace cl::ipfs::detail
