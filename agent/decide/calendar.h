// The Swedish calendar of working days: public holidays by the law on public
// holidays (lag 1989:253), the eves that municipal offices keep closed, and extra
// closed days from the configuration. The schedule (schedule.h) asks it whether a
// day is a "vardag", a weekday on which the office lines keep their normal hours.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/decide/local_time.h"
#include "config/model.h"

namespace dk {

// A date in the proleptic Gregorian calendar. The operations expect a valid date.
struct Date {
    int year = 0, month = 0, day = 0;

    auto operator<=>(const Date&) const = default;

    // The date `days` later (earlier when negative).
    Date addDays(int days) const;
    // 1 = Monday ... 7 = Sunday.
    int weekday() const;
    // "2026-04-05"
    std::string iso() const;

    // Reads exactly "YYYY-MM-DD"; nullopt for any other form or a date that does not exist.
    static std::optional<Date> parse(std::string_view iso);
    // The local calendar date of `t`.
    static Date of(const LocalTime& t);
};

// Easter Sunday of a Gregorian year (1583 onward), by the anonymous Gregorian
// computus (Meeus/Jones/Butcher).
Date easterSunday(int year);

enum class DayKind {
    vardag,          // Monday to Friday, not a holiday or a closed day
    weekend,         // an ordinary Saturday or Sunday
    public_holiday,  // "allmän helgdag" by law, whatever the weekday
    closed_eve,      // Midsummer Eve, Christmas Eve or New Year's Eve, when configured closed
    extra_closed,    // a closed day from the configuration (`holidays.extra_closed`)
};

// A day that is closed by the calendar, whatever its weekday.
struct Holiday {
    Date date;
    DayKind kind = DayKind::public_holiday;  // public_holiday, closed_eve or extra_closed
    std::string name_sv, name_en;            // "Långfredagen" / "Good Friday"
};

struct DayInfo {
    using Kind = DayKind;

    Date date;
    int weekday = 0;  // 1 = Monday ... 7 = Sunday
    Kind kind = Kind::vardag;
    std::string name_sv, name_en;  // the holiday's or closed day's name; empty otherwise
    // A vardag followed by a closed day (public holiday, closed eve or extra closed
    // day): the routine warns that other hours may apply on such a day. Not set
    // before an ordinary weekend.
    bool before_holiday = false;
    std::string before_name_sv, before_name_en;  // the name of that following day
};

class SwedishCalendar {
public:
    // Throws std::invalid_argument when an `extra_closed` entry is not a "YYYY-MM-DD" date.
    explicit SwedishCalendar(const config::Holidays& holidays = {});

    DayInfo day(Date date) const;
    bool isVardag(Date date) const;
    // The first vardag after `after` (never `after` itself).
    Date nextVardag(Date after) const;
    // Every closed day of `year` in date order: the public holidays, the closed eves
    // and the extra closed days. Two holidays on one date (Ascension Day on 1 May)
    // are one entry whose names are joined ("Första maj och Kristi himmelsfärdsdag").
    // The law is applied as it stands since 2005 (National Day replaced Whit Monday),
    // also for earlier years.
    std::vector<Holiday> holidays(int year) const;

private:
    std::optional<Holiday> closedDay(Date date) const;

    config::Holidays config_;
    std::vector<Date> extra_closed_;
};

}  // namespace dk
