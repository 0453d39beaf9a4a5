// Whether the user is presenting, so that notifications wait. What is detected,
// and only that: on X11, the active window (_NET_ACTIVE_WINDOW) being fullscreen
// (_NET_WM_STATE_FULLSCREEN) — a slideshow, a video call shared fullscreen, a
// fullscreen video. A presentation in a normal window, a screen-saver inhibit
// (org.freedesktop.ScreenSaver) and the desktop's own do-not-disturb are not
// seen; the tray's "quiet" setting covers those. Elsewhere (Wayland, no X
// server, a build without libxcb) this always says no.
#pragma once

namespace dk::tray {

bool userIsPresenting();

}  // namespace dk::tray
