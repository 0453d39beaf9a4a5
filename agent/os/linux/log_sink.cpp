#include "agent/os/log_sink.h"

#include <unistd.h>

#include <cstddef>

namespace dk {

void writeAllToStderr(const std::string& text) noexcept {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
        if (n <= 0)
            return;
        done += static_cast<std::size_t>(n);
    }
}

bool journalSocketWritable() {
    return ::access("/run/systemd/journal/socket", W_OK) == 0;
}

}  // namespace dk
