#include "tray/presentation.h"

namespace dk::tray {

// Built without libxcb: nothing to ask.
bool userIsPresenting() {
    return false;
}

}  // namespace dk::tray
