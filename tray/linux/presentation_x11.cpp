#include <xcb/xcb.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "tray/presentation.h"

namespace dk::tray {

namespace {

struct FreeDeleter {
    void operator()(void* p) const { std::free(p); }
};
template <typename T>
using Reply = std::unique_ptr<T, FreeDeleter>;

xcb_atom_t atom(xcb_connection_t* c, const char* name) {
    Reply<xcb_intern_atom_reply_t> r(xcb_intern_atom_reply(
        c, xcb_intern_atom(c, 1, static_cast<uint16_t>(std::strlen(name)), name), nullptr));
    return r ? r->atom : static_cast<xcb_atom_t>(XCB_ATOM_NONE);
}

}  // namespace

bool userIsPresenting() {
    const char* display = std::getenv("DISPLAY");
    if (!display || !*display)
        return false;
    // A connection of its own for each question: asked at most once per report.
    std::unique_ptr<xcb_connection_t, decltype(&xcb_disconnect)> conn(xcb_connect(nullptr, nullptr),
                                                                      &xcb_disconnect);
    xcb_connection_t* c = conn.get();
    if (!c || xcb_connection_has_error(c))
        return false;
    const xcb_setup_t* setup = xcb_get_setup(c);
    xcb_screen_iterator_t it = xcb_setup_roots_iterator(setup);
    if (!it.rem)
        return false;
    const xcb_window_t root = it.data->root;
    const xcb_atom_t active = atom(c, "_NET_ACTIVE_WINDOW");
    const xcb_atom_t state = atom(c, "_NET_WM_STATE");
    const xcb_atom_t fullscreen = atom(c, "_NET_WM_STATE_FULLSCREEN");
    if (active == XCB_ATOM_NONE || state == XCB_ATOM_NONE || fullscreen == XCB_ATOM_NONE)
        return false;

    Reply<xcb_get_property_reply_t> win(xcb_get_property_reply(
        c, xcb_get_property(c, 0, root, active, XCB_ATOM_WINDOW, 0, 1), nullptr));
    if (!win || xcb_get_property_value_length(win.get()) < static_cast<int>(sizeof(xcb_window_t)))
        return false;
    xcb_window_t w;
    std::memcpy(&w, xcb_get_property_value(win.get()), sizeof w);
    if (w == XCB_WINDOW_NONE)
        return false;

    Reply<xcb_get_property_reply_t> st(
        xcb_get_property_reply(c, xcb_get_property(c, 0, w, state, XCB_ATOM_ATOM, 0, 64), nullptr));
    if (!st)
        return false;
    const int n = xcb_get_property_value_length(st.get()) / static_cast<int>(sizeof(xcb_atom_t));
    const auto* atoms = static_cast<const xcb_atom_t*>(xcb_get_property_value(st.get()));
    for (int i = 0; i < n; ++i)
        if (atoms[i] == fullscreen)
            return true;
    return false;
}

}  // namespace dk::tray
