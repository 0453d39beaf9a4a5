#include "agent/os/memory.h"

#include <malloc.h>

namespace dk {

void limitMemoryArenas() {
    mallopt(M_ARENA_MAX, 2);
}

void releaseFreeMemory() {
    malloc_trim(0);
}

}  // namespace dk
