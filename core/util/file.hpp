#pragma once
// Small, careful file operations for the files under CL_HOME (keys, secrets, config).
#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace cl::util {

// Write data to path so that no reader ever sees a partial file or wider permissions than mode:
// the data goes to a new temporary file beside path, created with O_CREAT|O_EXCL and mode (the
// process umask may only remove bits; the mode is never changed afterwards), fsync'd, then moved
// into place and the directory fsync'd.
//   replace == false: fails with Code::already_exists (message names path) if path exists; the
//                     existing file is left untouched (link(2) does not overwrite).
//   replace == true:  an existing path is replaced atomically (rename(2)).
// Other failures are Code::io_error naming the path and the system error.
Status write_file_atomic(const std::string& path, std::string_view data, mode_t mode, bool replace);

// Read a whole regular file of at most bytes_max (a larger file is Code::resource_exhausted).
// A missing file is Code::not_found; the message names the path.
Result<std::string> read_file(const std::string& path, std::size_t bytes_max);

// Like read_file, for files that hold secrets (identity key, cluster secret). Refuses with
// Code::permission_denied when the group or others have any permission on the file, checked with
// fstat(2) on the opened descriptor:
//   "permissions 0644 on '/home/a/.cl/identity.key' are too open (group or others may access it):
//    run chmod 600 /home/a/.cl/identity.key"
Result<std::string> read_private_file(const std::string& path, std::size_t bytes_max);

// Create directory path with mode (umask applies) if it does not exist, creating missing parents
// with mode 0755 (like mkdir -p). An existing directory is left as it is (mode included).
Status make_directories(const std::string& path, mode_t mode);

// The permission bits of mode as four octal digits ("0600"), for messages.
std::string mode_string(mode_t mode);

}  // namespace cl::util
