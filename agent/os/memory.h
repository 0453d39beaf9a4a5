// Keeping the long-running agent small. Platform code: linux/memory.cpp.
#pragma once

namespace dk {

// Few malloc arenas: each short-lived probe thread would otherwise leave an
// arena of its own behind. Call once, before threads start.
void limitMemoryArenas();

// Gives memory freed by a run back to the system.
void releaseFreeMemory();

}  // namespace dk
