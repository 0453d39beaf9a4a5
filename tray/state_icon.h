// The tray icon for each state, drawn with QPainter at whatever size the panel
// asks for (crisp at 200%). The states differ in shape as well as colour, so
// that they are told apart on a monochrome panel and by colour-blind users:
// ok a circle with a check mark, warning a triangle with "!", fault an octagon
// with "×", unknown a square with "?".
#pragma once

#include <QIcon>
#include <QImage>
#include <QString>

#include "tray/report_view.h"

class QPainter;
class QRectF;

namespace dk::tray {

// An icon that paints itself at any size and device pixel ratio.
QIcon stateIcon(TrayState state);

// Draws the state's symbol into `rect`.
void paintState(QPainter& p, const QRectF& rect, TrayState state);

// The symbol at `size` × `size` pixels, on a transparent background.
QImage stateImage(TrayState state, int size);

// A step's or a check's mark as a small symbol in the same shapes.
QIcon markIcon(Mark mark);

// The state in words, for screen readers: "Allt fungerar", "Fel", ...
QString stateName(TrayState state);

}  // namespace dk::tray
