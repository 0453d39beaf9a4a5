// The Swedish calendar: dates, Easter, the public holidays of lag 1989:253, the
// closed eves and extra closed days of the configuration, and the day before a holiday.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "agent/decide/calendar.h"

using namespace dk;

namespace {

std::string kindName(DayKind k) {
    switch (k) {
        case DayKind::vardag:
            return "vardag";
        case DayKind::weekend:
            return "weekend";
        case DayKind::public_holiday:
            return "helgdag";
        case DayKind::closed_eve:
            return "afton";
        case DayKind::extra_closed:
            return "extra";
    }
    return "?";
}

// "2026-12-24 afton Julafton": one line per closed day, easy to compare and to read.
std::vector<std::string> listed(const std::vector<Holiday>& days) {
    std::vector<std::string> out;
    for (const Holiday& h : days)
        out.push_back(h.date.iso() + " " + kindName(h.kind) + " " + h.name_sv);
    return out;
}

Date iso(const std::string& text) {
    const auto d = Date::parse(text);
    REQUIRE(d);
    return *d;
}

config::Holidays noClosedEves() {
    config::Holidays h;
    h.midsummer_eve_closed = false;
    h.christmas_eve_closed = false;
    h.new_years_eve_closed = false;
    return h;
}

}  // namespace

TEST_CASE("a date reads and writes as YYYY-MM-DD") {
    CHECK(iso("2026-04-05").iso() == "2026-04-05");
    CHECK(Date{987, 1, 2}.iso() == "0987-01-02");
}

TEST_CASE("a date that is malformed or does not exist is refused") {
    // Only the exact ISO form, and only days that exist (2100 is not a leap year).
    const std::string text = GENERATE(as<std::string>{}, "2026-02-30", "2100-02-29", "2026-13-01",
                                      "2026-00-10", "2026-2-03", "20260203", " 2026-02-03",
                                      "2026-02-03 ", "2026/02/03", "2026-+2-03", "", "yyyy-mm-dd");
    INFO(text);
    CHECK_FALSE(Date::parse(text));
}

TEST_CASE("adding days crosses month ends, leap days and year ends") {
    CHECK(iso("2028-02-28").addDays(1).iso() == "2028-02-29");
    CHECK(iso("2100-02-28").addDays(1).iso() == "2100-03-01");
    CHECK(iso("2026-12-31").addDays(1).iso() == "2027-01-01");
    CHECK(iso("2026-03-01").addDays(-1).iso() == "2026-02-28");
    CHECK(iso("2026-01-01").addDays(365).iso() == "2027-01-01");
}

TEST_CASE("a weekday counts from Monday as 1 to Sunday as 7") {
    CHECK(iso("2026-01-01").weekday() == 4);  // Thursday
    CHECK(iso("2026-04-05").weekday() == 7);  // Easter Sunday
    CHECK(iso("2026-04-06").weekday() == 1);  // Easter Monday
    CHECK(iso("2000-01-01").weekday() == 6);  // Saturday
}

TEST_CASE("dates compare in calendar order") {
    CHECK(iso("2026-12-31") < iso("2027-01-01"));
    CHECK(iso("2026-02-28") < iso("2026-03-01"));
    CHECK(iso("2026-04-05") == Date{2026, 4, 5});
    CHECK(iso("2026-04-06") > iso("2026-04-05"));
}

TEST_CASE("Easter Sunday falls on the known dates from 1583 to 9999") {
    // Earliest possible (22 March: 1818, 2285) and latest possible (25 April: 1943,
    // 2038) among them, and the first and last years the computus is used for.
    const auto [year, expected] = GENERATE(table<int, std::string>({
        {1583, "1583-04-10"},
        {1818, "1818-03-22"},
        {1943, "1943-04-25"},
        {2000, "2000-04-23"},
        {2008, "2008-03-23"},
        {2011, "2011-04-24"},
        {2019, "2019-04-21"},
        {2024, "2024-03-31"},
        {2025, "2025-04-20"},
        {2026, "2026-04-05"},
        {2027, "2027-03-28"},
        {2030, "2030-04-21"},
        {2038, "2038-04-25"},
        {2049, "2049-04-18"},
        {2285, "2285-03-22"},
        {9999, "9999-03-28"},
    }));
    INFO(year);
    CHECK(easterSunday(year).iso() == expected);
    CHECK(easterSunday(year).weekday() == 7);
}

TEST_CASE("the closed days of 2025 are the official Swedish holidays and the three eves") {
    SwedishCalendar cal;
    CHECK(listed(cal.holidays(2025)) == std::vector<std::string>{
                                            "2025-01-01 helgdag Nyårsdagen",
                                            "2025-01-06 helgdag Trettondedag jul",
                                            "2025-04-18 helgdag Långfredagen",
                                            "2025-04-20 helgdag Påskdagen",
                                            "2025-04-21 helgdag Annandag påsk",
                                            "2025-05-01 helgdag Första maj",
                                            "2025-05-29 helgdag Kristi himmelsfärdsdag",
                                            "2025-06-06 helgdag Sveriges nationaldag",
                                            "2025-06-08 helgdag Pingstdagen",
                                            "2025-06-20 afton Midsommarafton",
                                            "2025-06-21 helgdag Midsommardagen",
                                            "2025-11-01 helgdag Alla helgons dag",
                                            "2025-12-24 afton Julafton",
                                            "2025-12-25 helgdag Juldagen",
                                            "2025-12-26 helgdag Annandag jul",
                                            "2025-12-31 afton Nyårsafton",
                                        });
}

TEST_CASE("the closed days of 2026 are the official Swedish holidays and the three eves") {
    SwedishCalendar cal;
    CHECK(listed(cal.holidays(2026)) == std::vector<std::string>{
                                            "2026-01-01 helgdag Nyårsdagen",
                                            "2026-01-06 helgdag Trettondedag jul",
                                            "2026-04-03 helgdag Långfredagen",
                                            "2026-04-05 helgdag Påskdagen",
                                            "2026-04-06 helgdag Annandag påsk",
                                            "2026-05-01 helgdag Första maj",
                                            "2026-05-14 helgdag Kristi himmelsfärdsdag",
                                            "2026-05-24 helgdag Pingstdagen",
                                            "2026-06-06 helgdag Sveriges nationaldag",
                                            "2026-06-19 afton Midsommarafton",
                                            "2026-06-20 helgdag Midsommardagen",
                                            "2026-10-31 helgdag Alla helgons dag",
                                            "2026-12-24 afton Julafton",
                                            "2026-12-25 helgdag Juldagen",
                                            "2026-12-26 helgdag Annandag jul",
                                            "2026-12-31 afton Nyårsafton",
                                        });
}

TEST_CASE("the closed days of 2027 are the official Swedish holidays and the three eves") {
    // Midsummer and All Saints' Day fall on their latest possible dates in 2027.
    SwedishCalendar cal;
    CHECK(listed(cal.holidays(2027)) == std::vector<std::string>{
                                            "2027-01-01 helgdag Nyårsdagen",
                                            "2027-01-06 helgdag Trettondedag jul",
                                            "2027-03-26 helgdag Långfredagen",
                                            "2027-03-28 helgdag Påskdagen",
                                            "2027-03-29 helgdag Annandag påsk",
                                            "2027-05-01 helgdag Första maj",
                                            "2027-05-06 helgdag Kristi himmelsfärdsdag",
                                            "2027-05-16 helgdag Pingstdagen",
                                            "2027-06-06 helgdag Sveriges nationaldag",
                                            "2027-06-25 afton Midsommarafton",
                                            "2027-06-26 helgdag Midsommardagen",
                                            "2027-11-06 helgdag Alla helgons dag",
                                            "2027-12-24 afton Julafton",
                                            "2027-12-25 helgdag Juldagen",
                                            "2027-12-26 helgdag Annandag jul",
                                            "2027-12-31 afton Nyårsafton",
                                        });
}

TEST_CASE("every closed day has an English name too") {
    SwedishCalendar cal;
    std::vector<std::string> en;
    for (const Holiday& h : cal.holidays(2026)) en.push_back(h.name_en);
    CHECK(en == std::vector<std::string>{
                    "New Year's Day", "Epiphany", "Good Friday", "Easter Sunday", "Easter Monday",
                    "May Day", "Ascension Day", "Whit Sunday", "National Day of Sweden",
                    "Midsummer Eve", "Midsummer Day", "All Saints' Day", "Christmas Eve",
                    "Christmas Day", "Boxing Day", "New Year's Eve"});
}

TEST_CASE("Midsummer Day is the Saturday from 20 to 26 June, Midsummer Eve the Friday before") {
    // The earliest (20 June) and the latest (26 June) possible dates, and years between.
    const auto [year, day, eve] = GENERATE(table<int, std::string, std::string>({
        {2015, "2015-06-20", "2015-06-19"},
        {2020, "2020-06-20", "2020-06-19"},
        {2021, "2021-06-26", "2021-06-25"},
        {2024, "2024-06-22", "2024-06-21"},
        {2027, "2027-06-26", "2027-06-25"},
        {2031, "2031-06-21", "2031-06-20"},
    }));
    INFO(year);
    SwedishCalendar cal;
    const DayInfo d = cal.day(iso(day));
    CHECK(d.kind == DayKind::public_holiday);
    CHECK(d.name_sv == "Midsommardagen");
    CHECK(d.weekday == 6);
    const DayInfo e = cal.day(iso(eve));
    CHECK(e.kind == DayKind::closed_eve);
    CHECK(e.name_sv == "Midsommarafton");
    // The Saturday a week earlier is an ordinary weekend.
    CHECK(cal.day(iso(day).addDays(-7)).kind == DayKind::weekend);
}

TEST_CASE("All Saints' Day is the Saturday from 31 October to 6 November") {
    // The earliest (31 October) and the latest (6 November) possible dates, and between.
    const auto [year, expected] = GENERATE(table<int, std::string>({
        {2020, "2020-10-31"},
        {2021, "2021-11-06"},
        {2025, "2025-11-01"},
        {2026, "2026-10-31"},
        {2027, "2027-11-06"},
        {2029, "2029-11-03"},
    }));
    INFO(year);
    SwedishCalendar cal;
    const DayInfo d = cal.day(iso(expected));
    CHECK(d.kind == DayKind::public_holiday);
    CHECK(d.name_sv == "Alla helgons dag");
    CHECK(d.name_en == "All Saints' Day");
    CHECK(d.weekday == 6);
}

TEST_CASE("two holidays on one date are one closed day with both names") {
    // Easter 2008 was 23 March: Ascension Day fell on 1 May.
    SwedishCalendar cal;
    const DayInfo may1 = cal.day(iso("2008-05-01"));
    CHECK(may1.kind == DayKind::public_holiday);
    CHECK(may1.name_sv == "Första maj och Kristi himmelsfärdsdag");
    CHECK(may1.name_en == "May Day and Ascension Day");
    CHECK(cal.holidays(2008).size() == 15);
    // Easter 2049 is 18 April: Whit Sunday falls on National Day.
    CHECK(cal.day(iso("2049-06-06")).name_sv == "Pingstdagen och Sveriges nationaldag");
}

TEST_CASE("the closed eves are ordinary weekdays when the configuration opens them") {
    // 2026: Midsummer Eve Friday 19 June, Christmas Eve and New Year's Eve Thursdays.
    SwedishCalendar open_eves(noClosedEves());
    for (const char* eve : {"2026-06-19", "2026-12-24", "2026-12-31"}) {
        INFO(eve);
        CHECK(open_eves.isVardag(iso(eve)));
        CHECK(open_eves.day(iso(eve)).name_sv.empty());
    }
    CHECK(open_eves.holidays(2026).size() == 13);

    SwedishCalendar closed_eves;
    for (const char* eve : {"2026-06-19", "2026-12-24", "2026-12-31"}) {
        INFO(eve);
        CHECK_FALSE(closed_eves.isVardag(iso(eve)));
        CHECK(closed_eves.day(iso(eve)).kind == DayKind::closed_eve);
    }
}

TEST_CASE("each closed eve is configured on its own") {
    // Only Christmas Eve open: Midsummer Eve and New Year's Eve stay closed.
    config::Holidays h;
    h.christmas_eve_closed = false;
    SwedishCalendar cal(h);
    CHECK(cal.isVardag(iso("2026-12-24")));
    CHECK_FALSE(cal.isVardag(iso("2026-06-19")));
    CHECK_FALSE(cal.isVardag(iso("2026-12-31")));
}

TEST_CASE("an extra closed day from the configuration is closed and listed") {
    // Monday 28 December 2026, a "klämdag" the municipality closes.
    config::Holidays h;
    h.extra_closed = {"2026-12-28"};
    SwedishCalendar cal(h);
    const DayInfo d = cal.day(iso("2026-12-28"));
    CHECK(d.kind == DayKind::extra_closed);
    CHECK(d.name_sv == "Extra stängd dag");
    CHECK(d.name_en == "Extra closed day");
    CHECK_FALSE(cal.isVardag(iso("2026-12-28")));
    CHECK(listed(cal.holidays(2026)).back() == "2026-12-31 afton Nyårsafton");
    CHECK(listed(cal.holidays(2026)).at(15) == "2026-12-28 extra Extra stängd dag");
    CHECK(cal.holidays(2027).size() == 16);  // only in its own year
}

TEST_CASE("an extra closed day on a holiday leaves the holiday as it is") {
    config::Holidays h;
    h.extra_closed = {"2026-12-25", "2026-12-24"};
    SwedishCalendar cal(h);
    CHECK(cal.day(iso("2026-12-25")).kind == DayKind::public_holiday);
    CHECK(cal.day(iso("2026-12-24")).kind == DayKind::closed_eve);
    CHECK(cal.holidays(2026).size() == 16);
}

TEST_CASE("a malformed extra closed day is refused with the value named") {
    config::Holidays h;
    h.extra_closed = {"2026-12-32"};
    CHECK_THROWS_WITH(SwedishCalendar(h), Catch::Contains("2026-12-32"));
}

TEST_CASE("weekends are not weekdays, and a holiday on a weekend is named as a holiday") {
    SwedishCalendar cal;
    CHECK(cal.day(iso("2026-03-14")).kind == DayKind::weekend);         // ordinary Saturday
    CHECK(cal.day(iso("2026-03-15")).kind == DayKind::weekend);         // ordinary Sunday
    CHECK(cal.day(iso("2026-06-06")).kind == DayKind::public_holiday);  // National Day, Saturday
    CHECK(cal.isVardag(iso("2026-03-13")));                             // ordinary Friday
}

TEST_CASE("the day before a holiday is marked, with the holiday's name") {
    // A weekday followed by a public holiday or a closed eve.
    const auto [day, before_sv, before_en] = GENERATE(table<std::string, std::string, std::string>({
        {"2026-05-13", "Kristi himmelsfärdsdag", "Ascension Day"},  // Wednesday
        {"2026-12-23", "Julafton", "Christmas Eve"},
        {"2026-04-02", "Långfredagen", "Good Friday"},  // Maundy Thursday
        {"2026-04-30", "Första maj", "May Day"},
        {"2026-06-05", "Sveriges nationaldag", "National Day of Sweden"},  // Friday, on a Saturday
        {"2026-06-18", "Midsommarafton", "Midsummer Eve"},
        {"2026-10-30", "Alla helgons dag", "All Saints' Day"},  // Friday before a Saturday holiday
        {"2026-12-30", "Nyårsafton", "New Year's Eve"},
        {"2027-01-05", "Trettondedag jul", "Epiphany"},
    }));
    INFO(day);
    SwedishCalendar cal;
    const DayInfo d = cal.day(iso(day));
    CHECK(d.kind == DayKind::vardag);
    CHECK(d.before_holiday);
    CHECK(d.before_name_sv == before_sv);
    CHECK(d.before_name_en == before_en);
}

TEST_CASE("an ordinary day, a Friday before a weekend or a holiday itself is not a day before") {
    // Friday 13 March 2026 before an ordinary weekend; Tuesday 10 March; Christmas Day
    // is itself closed although Boxing Day follows; Easter Sunday before Easter Monday.
    SwedishCalendar cal;
    for (const char* day : {"2026-03-13", "2026-03-10", "2026-12-25", "2026-04-05"}) {
        INFO(day);
        const DayInfo d = cal.day(iso(day));
        CHECK_FALSE(d.before_holiday);
        CHECK(d.before_name_sv.empty());
    }
}

TEST_CASE("with Christmas Eve open, it is the day before a holiday instead of 23 December") {
    SwedishCalendar cal(noClosedEves());
    CHECK_FALSE(cal.day(iso("2026-12-23")).before_holiday);
    const DayInfo eve = cal.day(iso("2026-12-24"));
    CHECK(eve.before_holiday);
    CHECK(eve.before_name_sv == "Juldagen");
}

TEST_CASE("the day before an extra closed day is marked as the day before a holiday") {
    config::Holidays h;
    h.extra_closed = {"2027-01-05"};
    SwedishCalendar cal(h);
    const DayInfo d = cal.day(iso("2027-01-04"));
    CHECK(d.before_holiday);
    CHECK(d.before_name_sv == "Extra stängd dag");
}

TEST_CASE("the next weekday skips weekends, holidays, closed eves and extra closed days") {
    SwedishCalendar cal;
    // Maundy Thursday 2026 -> Tuesday after Easter.
    CHECK(cal.nextVardag(iso("2026-04-02")).iso() == "2026-04-07");
    // Ordinary Friday -> Monday; ordinary Tuesday -> Wednesday.
    CHECK(cal.nextVardag(iso("2026-03-13")).iso() == "2026-03-16");
    CHECK(cal.nextVardag(iso("2026-03-10")).iso() == "2026-03-11");
    // 23 December 2026 -> Monday 28 December; New Year 2027 -> Monday 4 January.
    CHECK(cal.nextVardag(iso("2026-12-23")).iso() == "2026-12-28");
    CHECK(cal.nextVardag(iso("2026-12-30")).iso() == "2027-01-04");

    config::Holidays h;
    h.extra_closed = {"2026-12-28"};
    CHECK(SwedishCalendar(h).nextVardag(iso("2026-12-23")).iso() == "2026-12-29");
}
