// Where log lines can go besides the files: the terminal's stderr, and the journal.
// Platform code: linux/log_sink.cpp.
#pragma once

#include <string>

namespace dk {

// Writes all of `text` to stderr, ignoring failures: this is the last resort.
void writeAllToStderr(const std::string& text) noexcept;

// Whether the system journal takes log lines from this process now.
bool journalSocketWritable();

}  // namespace dk
