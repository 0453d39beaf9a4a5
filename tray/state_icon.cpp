#include "tray/state_icon.h"

#include <QCoreApplication>
#include <QIconEngine>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QPolygonF>

#include <cmath>

namespace dk::tray {

namespace {

// Colours with enough contrast against both light and dark panels; the outline
// keeps the shape visible where the fill is close to the panel's colour.
const QColor kOkFill(0x1e, 0x7d, 0x32);
const QColor kWarnFill(0xf2, 0xa9, 0x00);
const QColor kFaultFill(0xc6, 0x28, 0x28);
const QColor kUnknownFill(0x75, 0x75, 0x75);
const QColor kInfoFill(0x15, 0x65, 0xc0);
const QColor kOutline(0x20, 0x20, 0x20);

enum class Shape { circle, triangle, octagon, square };
enum class Glyph { check, bang, cross, question, dash, arrow };

void paintSymbol(QPainter& p, const QRectF& r, Shape shape, const QColor& fill, Glyph glyph,
                 const QColor& ink) {
    p.save();
    p.setRenderHint(QPainter::Antialiasing, true);
    const qreal s = std::min(r.width(), r.height());
    const QRectF box(r.center().x() - s / 2, r.center().y() - s / 2, s, s);
    const qreal line = std::max<qreal>(1.0, s / 16.0);
    const QRectF in = box.adjusted(line / 2, line / 2, -line / 2, -line / 2);
    QPainterPath path;
    switch (shape) {
        case Shape::circle:
            path.addEllipse(in);
            break;
        case Shape::square:
            path.addRoundedRect(in.adjusted(s * 0.04, s * 0.04, -s * 0.04, -s * 0.04), s * 0.12,
                                s * 0.12);
            break;
        case Shape::triangle: {
            QPolygonF t;
            t << QPointF(in.center().x(), in.top()) << QPointF(in.right(), in.bottom() - s * 0.06)
              << QPointF(in.left(), in.bottom() - s * 0.06);
            path.addPolygon(t);
            path.closeSubpath();
            break;
        }
        case Shape::octagon: {
            QPolygonF o;
            const qreal c = in.width() * 0.2929 / 1.0;  // 1 - 1/sqrt(2): the cut corners
            o << QPointF(in.left() + c, in.top()) << QPointF(in.right() - c, in.top())
              << QPointF(in.right(), in.top() + c) << QPointF(in.right(), in.bottom() - c)
              << QPointF(in.right() - c, in.bottom()) << QPointF(in.left() + c, in.bottom())
              << QPointF(in.left(), in.bottom() - c) << QPointF(in.left(), in.top() + c);
            path.addPolygon(o);
            path.closeSubpath();
            break;
        }
    }
    p.setPen(QPen(kOutline, line, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    p.setBrush(fill);
    p.drawPath(path);

    // The glyph, as strokes (no font: the same at every size and on every system).
    const qreal g = s * 0.13;  // stroke width
    QPen pen(ink, g, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    const qreal x = box.left(), y = box.top();
    auto P = [&](qreal fx, qreal fy) { return QPointF(x + fx * s, y + fy * s); };
    switch (glyph) {
        case Glyph::check: {
            QPolygonF c;
            c << P(0.27, 0.52) << P(0.43, 0.68) << P(0.73, 0.35);
            p.drawPolyline(c);
            break;
        }
        case Glyph::bang:
            p.drawLine(P(0.5, 0.36), P(0.5, 0.62));
            p.setPen(Qt::NoPen);
            p.setBrush(ink);
            p.drawEllipse(P(0.5, 0.76), g * 0.62, g * 0.62);
            break;
        case Glyph::cross:
            p.drawLine(P(0.33, 0.33), P(0.67, 0.67));
            p.drawLine(P(0.67, 0.33), P(0.33, 0.67));
            break;
        case Glyph::question: {
            QPainterPath q;
            q.moveTo(P(0.36, 0.38));
            q.cubicTo(P(0.36, 0.2), P(0.66, 0.2), P(0.65, 0.37));
            q.cubicTo(P(0.64, 0.48), P(0.5, 0.47), P(0.5, 0.6));
            p.drawPath(q);
            p.setPen(Qt::NoPen);
            p.setBrush(ink);
            p.drawEllipse(P(0.5, 0.76), g * 0.62, g * 0.62);
            break;
        }
        case Glyph::dash:
            p.drawLine(P(0.32, 0.5), P(0.68, 0.5));
            break;
        case Glyph::arrow:
            p.drawLine(P(0.28, 0.5), P(0.70, 0.5));
            p.drawLine(P(0.52, 0.32), P(0.70, 0.5));
            p.drawLine(P(0.52, 0.68), P(0.70, 0.5));
            break;
    }
    p.restore();
}

void paintMark(QPainter& p, const QRectF& r, Mark m) {
    switch (m) {
        case Mark::pass:
            paintState(p, r, TrayState::ok);
            return;
        case Mark::warn:
            paintState(p, r, TrayState::warning);
            return;
        case Mark::fail:
            paintState(p, r, TrayState::fault);
            return;
        case Mark::not_run:
            paintSymbol(p, r, Shape::circle, QColor(0xe0, 0xe0, 0xe0), Glyph::dash, kOutline);
            return;
        case Mark::manual:
            paintSymbol(p, r, Shape::square, kInfoFill, Glyph::question, Qt::white);
            return;
        case Mark::action:
            paintSymbol(p, r, Shape::circle, kInfoFill, Glyph::arrow, Qt::white);
            return;
    }
}

// Paints on demand, so every size and device pixel ratio gets its own drawing.
class SymbolEngine final : public QIconEngine {
public:
    using Painter = void (*)(QPainter&, const QRectF&, int);
    SymbolEngine(Painter painter, int which) : painter_(painter), which_(which) {}

    void paint(QPainter* p, const QRect& rect, QIcon::Mode mode, QIcon::State) override {
        if (mode == QIcon::Disabled)
            p->setOpacity(0.45);
        painter_(*p, QRectF(rect), which_);
    }
    QIconEngine* clone() const override { return new SymbolEngine(painter_, which_); }
    QPixmap pixmap(const QSize& size, QIcon::Mode mode, QIcon::State state) override {
        QPixmap pm(size);
        pm.fill(Qt::transparent);
        QPainter p(&pm);
        paint(&p, QRect(QPoint(0, 0), size), mode, state);
        return pm;
    }
    QPixmap scaledPixmap(const QSize& size, QIcon::Mode mode, QIcon::State state,
                         qreal scale) override {
        QPixmap pm = pixmap(size * scale, mode, state);
        pm.setDevicePixelRatio(scale);
        return pm;
    }
    QString key() const override { return QStringLiteral("driftkoll-symbol"); }

private:
    Painter painter_;
    int which_;
};

}  // namespace

void paintState(QPainter& p, const QRectF& rect, TrayState state) {
    switch (state) {
        case TrayState::ok:
            paintSymbol(p, rect, Shape::circle, kOkFill, Glyph::check, Qt::white);
            return;
        case TrayState::warning:
            paintSymbol(p, rect, Shape::triangle, kWarnFill, Glyph::bang, Qt::black);
            return;
        case TrayState::fault:
            paintSymbol(p, rect, Shape::octagon, kFaultFill, Glyph::cross, Qt::white);
            return;
        case TrayState::unknown:
            paintSymbol(p, rect, Shape::square, kUnknownFill, Glyph::question, Qt::white);
            return;
    }
}

QIcon stateIcon(TrayState state) {
    return QIcon(new SymbolEngine(
        [](QPainter& p, const QRectF& r, int s) { paintState(p, r, static_cast<TrayState>(s)); },
        static_cast<int>(state)));
}

QIcon markIcon(Mark mark) {
    return QIcon(new SymbolEngine(
        [](QPainter& p, const QRectF& r, int m) { paintMark(p, r, static_cast<Mark>(m)); },
        static_cast<int>(mark)));
}

QImage stateImage(TrayState state, int size) {
    QImage img(size, size, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    QPainter p(&img);
    paintState(p, QRectF(0, 0, size, size), state);
    p.end();
    return img;
}

QString stateName(TrayState state) {
    switch (state) {
        case TrayState::ok:
            return QCoreApplication::translate("dk::tray::State", "Allt fungerar");
        case TrayState::warning:
            return QCoreApplication::translate("dk::tray::State", "Varning");
        case TrayState::fault:
            return QCoreApplication::translate("dk::tray::State", "Fel");
        case TrayState::unknown:
            return QCoreApplication::translate("dk::tray::State", "Okänt läge");
    }
    return {};
}

}  // namespace dk::tray
