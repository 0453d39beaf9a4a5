#include "agent/decide/calendar.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <stdexcept>

#include <date/date.h>

namespace dk {

namespace {

date::sys_days toDays(const Date& d) {
    return date::sys_days(date::year(d.year) / d.month / d.day);
}

Date fromDays(date::sys_days days) {
    const date::year_month_day ymd{days};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

// The first Saturday on or after `from`.
Date saturdayFrom(Date from) {
    const date::sys_days days = toDays(from);
    return fromDays(days + (date::Saturday - date::weekday(days)));
}

// A run of digits read as a number, or nullopt when anything else is in it.
std::optional<int> digits(std::string_view s) {
    if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) {
            return std::isdigit(static_cast<unsigned char>(c));
        }))
        return std::nullopt;
    int value = 0;
    std::from_chars(s.data(), s.data() + s.size(), value);
    return value;
}

}  // namespace

Date Date::addDays(int days) const {
    return fromDays(toDays(*this) + date::days(days));
}

int Date::weekday() const {
    return static_cast<int>(date::weekday(toDays(*this)).iso_encoding());
}

std::string Date::iso() const {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

std::optional<Date> Date::parse(std::string_view iso) {
    if (iso.size() != 10 || iso[4] != '-' || iso[7] != '-')
        return std::nullopt;
    const auto y = digits(iso.substr(0, 4));
    const auto m = digits(iso.substr(5, 2));
    const auto d = digits(iso.substr(8, 2));
    if (!y || !m || !d)
        return std::nullopt;
    const date::year_month_day ymd = date::year(*y) / *m / *d;
    if (!ymd.ok())
        return std::nullopt;
    return Date{*y, *m, *d};
}

Date Date::of(const LocalTime& t) {
    return {t.year, t.month, t.day};
}

Date easterSunday(int year) {
    const int a = year % 19;  // place in the 19-year Metonic cycle
    const int b = year / 100;
    const int c = year % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;  // days from 21 March to the Paschal full moon
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;  // days from the full moon to Sunday
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return {year, month, day};
}

SwedishCalendar::SwedishCalendar(const config::Holidays& holidays) : config_(holidays) {
    for (const std::string& text : holidays.extra_closed) {
        const auto d = Date::parse(text);
        if (!d)
            throw std::invalid_argument("holidays.extra_closed: '" + text +
                                        "' is not a date of the form YYYY-MM-DD");
        extra_closed_.push_back(*d);
    }
}

std::vector<Holiday> SwedishCalendar::holidays(int year) const {
    const Date easter = easterSunday(year);
    const Date midsummer_day = saturdayFrom({year, 6, 20});
    const auto pub = DayKind::public_holiday;
    std::vector<Holiday> all = {
        {{year, 1, 1}, pub, "Nyårsdagen", "New Year's Day"},
        {{year, 1, 6}, pub, "Trettondedag jul", "Epiphany"},
        {easter.addDays(-2), pub, "Långfredagen", "Good Friday"},
        {easter, pub, "Påskdagen", "Easter Sunday"},
        {easter.addDays(1), pub, "Annandag påsk", "Easter Monday"},
        {{year, 5, 1}, pub, "Första maj", "May Day"},
        {easter.addDays(39), pub, "Kristi himmelsfärdsdag", "Ascension Day"},
        {easter.addDays(49), pub, "Pingstdagen", "Whit Sunday"},
        {{year, 6, 6}, pub, "Sveriges nationaldag", "National Day of Sweden"},
        {midsummer_day, pub, "Midsommardagen", "Midsummer Day"},
        {saturdayFrom({year, 10, 31}), pub, "Alla helgons dag", "All Saints' Day"},
        {{year, 12, 25}, pub, "Juldagen", "Christmas Day"},
        {{year, 12, 26}, pub, "Annandag jul", "Boxing Day"},
    };
    if (config_.midsummer_eve_closed)
        all.push_back(
            {midsummer_day.addDays(-1), DayKind::closed_eve, "Midsommarafton", "Midsummer Eve"});
    if (config_.christmas_eve_closed)
        all.push_back({{year, 12, 24}, DayKind::closed_eve, "Julafton", "Christmas Eve"});
    if (config_.new_years_eve_closed)
        all.push_back({{year, 12, 31}, DayKind::closed_eve, "Nyårsafton", "New Year's Eve"});
    for (const Date& d : extra_closed_)
        if (d.year == year)
            all.push_back({d, DayKind::extra_closed, "Extra stängd dag", "Extra closed day"});

    // Date order; on a shared date the law's holidays first, then an eve, then an
    // extra day (DayKind is declared in that order).
    std::stable_sort(all.begin(), all.end(), [](const Holiday& x, const Holiday& y) {
        return x.date != y.date ? x.date < y.date : x.kind < y.kind;
    });
    std::vector<Holiday> out;
    for (Holiday& h : all) {
        if (!out.empty() && out.back().date == h.date) {
            // Two public holidays on one day share it; a closed eve or extra closed
            // day on a public holiday adds nothing to it.
            if (h.kind == DayKind::public_holiday) {
                out.back().name_sv += " och " + h.name_sv;
                out.back().name_en += " and " + h.name_en;
            }
            continue;
        }
        out.push_back(std::move(h));
    }
    return out;
}

std::optional<Holiday> SwedishCalendar::closedDay(Date date) const {
    for (Holiday& h : holidays(date.year))
        if (h.date == date)
            return std::move(h);
    return std::nullopt;
}

DayInfo SwedishCalendar::day(Date date) const {
    DayInfo info;
    info.date = date;
    info.weekday = date.weekday();
    if (auto closed = closedDay(date)) {
        info.kind = closed->kind;
        info.name_sv = std::move(closed->name_sv);
        info.name_en = std::move(closed->name_en);
        return info;
    }
    if (info.weekday >= 6) {
        info.kind = DayKind::weekend;
        return info;
    }
    info.kind = DayKind::vardag;
    if (auto next = closedDay(date.addDays(1))) {
        info.before_holiday = true;
        info.before_name_sv = std::move(next->name_sv);
        info.before_name_en = std::move(next->name_en);
    }
    return info;
}

bool SwedishCalendar::isVardag(Date date) const {
    return day(date).kind == DayKind::vardag;
}

Date SwedishCalendar::nextVardag(Date after) const {
    // Ends: only the finitely many configured extra days can extend a run of closed days.
    Date d = after.addDays(1);
    while (!isVardag(d)) d = d.addDays(1);
    return d;
}

}  // namespace dk
