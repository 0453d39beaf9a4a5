#include "config/loader.h"

#include <stdlib.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "tests/support/scoped_env.h"

using namespace dk::config;
namespace fs = std::filesystem;
using Catch::Contains;
using std::chrono::milliseconds;

namespace {

// A line and column in a test document, to compare with an error's position.
struct Pos {
    int line = 0;
    int column = 0;
    bool operator==(const Pos&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Pos& p) {
    return os << p.line << ":" << p.column;
}

Pos at(const ConfigError& e) {
    return {e.line, e.column};
}

// Where `needle` first occurs in `doc` (1-based line and column).
Pos posOf(std::string_view doc, std::string_view needle) {
    const std::size_t offset = doc.find(needle);
    REQUIRE(offset != std::string_view::npos);
    Pos p{1, 1};
    for (std::size_t i = 0; i < offset; ++i) {
        if (doc[i] == '\n') {
            ++p.line;
            p.column = 1;
        } else {
            ++p.column;
        }
    }
    return p;
}

// Where the text after `needle` starts: posOf(doc, "timeout = ") -> the value.
Pos posAfter(std::string_view doc, std::string_view needle) {
    Pos p = posOf(doc, needle);
    p.column += static_cast<int>(needle.size());
    return p;
}

std::string describe(const LoadResult& r) {
    std::string out;
    for (const auto& e : r.errors) out += "error: " + e.format() + "\n";
    for (const auto& w : r.warnings) out += "warning: " + w.format() + "\n";
    return out;
}

LoadResult load(std::string_view doc) {
    return loadString(doc, "test.toml");
}

// Loads `doc`, which must have exactly one error, and returns that error.
ConfigError onlyError(std::string_view doc) {
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.errors.size() == 1);
    CHECK_FALSE(r.config.has_value());
    return r.errors.front();
}

// Loads `doc`, which must load with no error and exactly one warning.
ConfigError onlyWarning(std::string_view doc) {
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.ok());
    REQUIRE(r.warnings.size() == 1);
    return r.warnings.front();
}

// The same configuration read from another place: source names cleared.
Config withoutSource(Config c) {
    c.source.clear();
    for (auto& s : c.systems) s.where.file.clear();
    for (auto& w : c.maintenance.windows) w.where.file.clear();
    return c;
}

// The same configuration written out differently: positions cleared too.
Config withoutPositions(Config c) {
    c = withoutSource(std::move(c));
    for (auto& s : c.systems) s.where = {};
    for (auto& w : c.maintenance.windows) w.where = {};
    return c;
}

Config builtin() {
    LoadResult r = loadBuiltin();
    INFO(describe(r));
    REQUIRE(r.ok());
    return *r.config;
}

// A private directory under the system's temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "driftkoll-config-XXXXXX").string();
        REQUIRE(mkdtemp(pattern.data()) != nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const fs::path& path() const { return path_; }

    // Writes `text` to `relative` (creating directories) and returns the full path.
    std::string write(const fs::path& relative, std::string_view text) const {
        const fs::path p = path_ / relative;
        fs::create_directories(p.parent_path());
        std::ofstream(p) << text;
        return p.string();
    }

private:
    fs::path path_;
};

using dk::test::ScopedEnv;

// A valid document to build the error tests on.
constexpr std::string_view kTes = R"([[systems]]
id = "tes"
role = "primary"
url = "https://tes.example/"
)";

// A contact that can be called at any time (no hours): appended to a document
// that must load without warnings, since a profile with no one to call warns.
constexpr std::string_view kContact = R"([[contacts]]
id = "sup"
name = "Support"
phone = "019-00 00 00"
)";

}  // namespace

// ---------------------------------------------------------------------------
// The built-in default profile

TEST_CASE("the built-in profile loads with no errors and no warnings", "[loader][profile]") {
    const LoadResult r = loadBuiltin();
    INFO(describe(r));
    CHECK(r.ok());
    CHECK(r.errors.empty());
    CHECK(r.warnings.empty());
    REQUIRE(r.config);
    CHECK(r.config->source == "<inbyggd standardprofil>");
    CHECK(r.config->profile == "orebro");
}

TEST_CASE("the built-in profile checks the routine's systems, with TES not configured",
          "[loader][profile]") {
    const Config c = builtin();
    REQUIRE(c.systems.size() == 5);
    const System* tes = c.findSystem("tes");
    REQUIRE(tes);
    CHECK(tes->role == Role::primary);
    CHECK(tes->url.empty());
    CHECK_FALSE(tes->configured());
    CHECK(tes->maintenance_text ==
          std::vector<std::string>{"underhåll", "planerat avbrott", "maintenance"});
    CHECK(tes->where.line > 0);

    REQUIRE(c.findSystem("tes_app"));
    CHECK(c.findSystem("tes_app")->role == Role::business);
    CHECK_FALSE(c.findSystem("tes_app")->configured());
    REQUIRE(c.findSystem("intranet"));
    CHECK(c.findSystem("intranet")->role == Role::internal);
    CHECK_FALSE(c.findSystem("intranet")->configured());
    REQUIRE(c.findSystem("orebro"));
    CHECK(c.findSystem("orebro")->role == Role::outside);
    CHECK(c.findSystem("orebro")->url == "https://www.orebro.se/");
    REQUIRE(c.findSystem("na"));
    CHECK(c.findSystem("na")->role == Role::outside);
    CHECK(c.findSystem("na")->url == "https://www.na.se/");
}

TEST_CASE("the built-in profile has the routine's deadlines, clock reference and holidays",
          "[loader][profile]") {
    const Config c = builtin();
    CHECK(c.organisation == Organisation::municipal);
    CHECK(c.timezone == "Europe/Stockholm");
    CHECK(c.deadlines.run == milliseconds(4'000));
    CHECK(c.clock.reference == "na");
    CHECK(c.holidays.midsummer_eve_closed);
    CHECK(c.holidays.christmas_eve_closed);
    CHECK(c.holidays.new_years_eve_closed);
    CHECK(c.holidays.extra_closed.empty());
    CHECK(c.maintenance.windows.empty());
}

TEST_CASE("the built-in TES support line is open weekdays 08:00-16:30 behind 3, 1",
          "[loader][profile]") {
    const Config c = builtin();
    const Contact* tes = c.findContact("tes_support");
    REQUIRE(tes);
    CHECK(tes->name == "Kommunsupport – TES, TES-app och Carelock");
    CHECK(tes->phone == "019-21 20 00");
    CHECK(tes->phone_short == "20 00");
    CHECK(tes->menu == std::vector<std::string>{"3", "1"});
    CHECK(tes->email == "vardochstod@orebro.se");
    CHECK_FALSE(tes->municipal_only);
    REQUIRE(tes->hours.size() == 1);
    CHECK(tes->hours[0].days == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(tes->hours[0].open.minutes == 8 * 60);
    CHECK(tes->hours[0].close.minutes == 16 * 60 + 30);
    CHECK(tes->hours[0].breaks.empty());
    CHECK(tes->hours[0].only_weekdays);
}

TEST_CASE("the built-in IT line closes early on Fridays and for lunch, for employees only",
          "[loader][profile]") {
    const Config c = builtin();
    const Contact* it = c.findContact("it_support");
    REQUIRE(it);
    CHECK(it->phone == "019-21 20 00");
    CHECK(it->menu == std::vector<std::string>{"4"});
    CHECK(it->email == "it-helpdesk@orebro.se");
    CHECK(it->municipal_only);
    REQUIRE(it->hours.size() == 2);
    CHECK(it->hours[0].days == std::vector<int>{1, 2, 3, 4});
    CHECK(it->hours[0].open.minutes == 7 * 60);
    CHECK(it->hours[0].close.minutes == 17 * 60);
    CHECK(it->hours[1].days == std::vector<int>{5});
    CHECK(it->hours[1].open.minutes == 7 * 60);
    CHECK(it->hours[1].close.minutes == 16 * 60);
    for (const HoursRule& h : it->hours) {
        REQUIRE(h.breaks.size() == 1);
        CHECK(h.breaks[0].from.minutes == 12 * 60);
        CHECK(h.breaks[0].to.minutes == 13 * 60);
    }
}

TEST_CASE("the built-in on-call has no office hours and excludes passwords and providers",
          "[loader][profile]") {
    const Config c = builtin();
    const Contact* oncall = c.findContact("oncall");
    REQUIRE(oncall);
    CHECK_THAT(oncall->name, Contains("SOS Alarm"));
    CHECK(oncall->phone_short == "20 00");
    CHECK(oncall->phone == "019-21 20 00");
    CHECK(oncall->hours.empty());
    CHECK(oncall->municipal_only);
    CHECK_THAT(oncall->note, Contains("lösenord") && Contains("externa utförare"));
}

TEST_CASE("the installed profile file loads identically to the built-in profile",
          "[loader][profile]") {
    const LoadResult installed = loadFile(DK_DEFAULT_PROFILE_PATH);
    INFO(describe(installed));
    REQUIRE(installed.ok());
    CHECK(installed.config->source == DK_DEFAULT_PROFILE_PATH);
    CHECK(installed.config->systems.front().where.file == DK_DEFAULT_PROFILE_PATH);
    CHECK(withoutSource(*installed.config) == withoutSource(builtin()));
}

// ---------------------------------------------------------------------------
// Files

TEST_CASE("a missing file is an error that names the path", "[loader][file]") {
    const TempDir dir;
    const std::string path = (dir.path() / "saknas.toml").string();
    const LoadResult r = loadFile(path);
    CHECK_FALSE(r.ok());
    CHECK_FALSE(r.config);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].file == path);
    CHECK(r.errors[0].line == 0);
    CHECK_THAT(r.errors[0].format(), Contains(path) && Contains("No such file or directory"));
}

TEST_CASE("a directory given as the config file is an error, not a crash", "[loader][file]") {
    const TempDir dir;
    const LoadResult r = loadFile(dir.path().string());
    REQUIRE(r.errors.size() == 1);
    CHECK_THAT(r.errors[0].message, Contains("directory"));
}

TEST_CASE("a file's errors and system positions name the file", "[loader][file]") {
    const TempDir dir;
    const std::string path = dir.write("driftkoll.toml", std::string(kTes) + "timout = \"1s\"\n");
    const LoadResult r = loadFile(path);
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].format() ==
          path + ":5:1: unknown key 'timout' in [[systems]] (did you mean 'timeout'?)");

    const std::string good = dir.write("good.toml", kTes);
    const LoadResult ok = loadFile(good);
    REQUIRE(ok.ok());
    CHECK(ok.config->source == good);
    CHECK(ok.config->systems[0].where.file == good);
    CHECK(ok.config->systems[0].where.line == 1);
}

TEST_CASE("a user config is looked for in XDG_CONFIG_HOME first", "[loader][file]") {
    const TempDir dir;
    const std::string home = dir.write("home/driftkoll/driftkoll.toml", kTes);
    dir.write("etc/driftkoll/driftkoll.toml", kTes);
    const ScopedEnv config_home("XDG_CONFIG_HOME", (dir.path() / "home").string());
    const ScopedEnv config_dirs("XDG_CONFIG_DIRS", (dir.path() / "etc").string());
    CHECK(findUserConfig() == home);
}

TEST_CASE("without XDG_CONFIG_HOME the user config is ~/.config/driftkoll/driftkoll.toml",
          "[loader][file]") {
    const TempDir dir;
    const std::string file = dir.write(".config/driftkoll/driftkoll.toml", kTes);
    const ScopedEnv config_home("XDG_CONFIG_HOME", std::nullopt);
    const ScopedEnv home("HOME", dir.path().string());
    const ScopedEnv config_dirs("XDG_CONFIG_DIRS", (dir.path() / "none").string());
    CHECK(findUserConfig() == file);
}

TEST_CASE("the XDG_CONFIG_DIRS are searched in order, skipping relative ones", "[loader][file]") {
    const TempDir dir;
    dir.write("relative/driftkoll/driftkoll.toml", kTes);
    const std::string second = dir.write("second/driftkoll/driftkoll.toml", kTes);
    dir.write("third/driftkoll/driftkoll.toml", kTes);
    const ScopedEnv config_home("XDG_CONFIG_HOME", (dir.path() / "empty").string());
    const std::string dirs = "relative:" + (dir.path() / "first").string() + ":" +
                             (dir.path() / "second").string() + ":" +
                             (dir.path() / "third").string();
    const ScopedEnv config_dirs("XDG_CONFIG_DIRS", dirs);
    // From inside the temp dir, "relative" would match if it were not skipped.
    const fs::path old_cwd = fs::current_path();
    fs::current_path(dir.path());
    const auto found = findUserConfig();
    fs::current_path(old_cwd);
    CHECK(found == second);
}

TEST_CASE("with no user config anywhere the built-in profile is used", "[loader][file]") {
    const TempDir dir;
    const ScopedEnv config_home("XDG_CONFIG_HOME", (dir.path() / "home").string());
    const ScopedEnv config_dirs("XDG_CONFIG_DIRS", (dir.path() / "etc").string());
    CHECK_FALSE(findUserConfig());
}

// ---------------------------------------------------------------------------
// Syntax and structure

TEST_CASE("a TOML syntax error reports its line and column", "[loader][errors]") {
    const ConfigError e = onlyError("profile = \"orebro\"\n[deadlines]\nrun = = \"4s\"\n");
    CHECK(e.file == "test.toml");
    CHECK(at(e) == Pos{3, 7});
    CHECK_THAT(e.message, Contains("syntax error"));
    CHECK_THAT(e.format(), Contains("test.toml:3:7: syntax error"));
}

TEST_CASE("an error without a position is formatted as file and message", "[loader][errors]") {
    const ConfigError e{"a.toml", 0, 0, "cannot read the configuration file: gone", {}};
    CHECK(e.format() == "a.toml: cannot read the configuration file: gone");
}

TEST_CASE("an unknown key is reported at the key with a close suggestion", "[loader][errors]") {
    const std::string doc = std::string(kTes) + "timout = \"1s\"\n";
    const ConfigError e = onlyError(doc);
    CHECK(at(e) == posOf(doc, "timout"));
    CHECK(e.suggestion == "timeout");
    CHECK(e.format() ==
          "test.toml:5:1: unknown key 'timout' in [[systems]] (did you mean 'timeout'?)");
}

TEST_CASE("an unknown key with no close match gets no suggestion", "[loader][errors]") {
    const std::string doc = std::string(kTes) + "colour = \"blue\"\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "unknown key 'colour' in [[systems]]");
    CHECK(e.suggestion.empty());
}

TEST_CASE("unknown keys are found at every level, sections included", "[loader][errors]") {
    const std::string doc =
        std::string("profil = \"x\"\n[deadline]\nrun = \"4s\"\n") +
        "[[contacts]]\nid = \"a\"\nname = \"A\"\nphone = \"1\"\n" +
        "[[contacts.hours]]\ndays = \"mon\"\nopen = \"08:00\"\n" +
        "close = \"09:00\"\nbreaks = [{ from = \"08:10\", too = \"08:20\" }]\n" + std::string(kTes);
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.errors.size() == 4);
    CHECK(r.errors[0].suggestion == "profile");
    CHECK(at(r.errors[0]) == posOf(doc, "profil"));
    CHECK(r.errors[1].suggestion == "deadlines");
    CHECK(at(r.errors[1]) == posOf(doc, "deadline"));
    // The break lacks 'to' and has the unknown 'too'.
    CHECK_THAT(r.errors[2].message, Contains("missing key 'to'"));
    CHECK(r.errors[3].suggestion == "to");
    CHECK(at(r.errors[3]) == posOf(doc, "too"));
}

TEST_CASE("a value of the wrong type names the expected and the actual type", "[loader][errors]") {
    const std::string doc = std::string(kTes) + "name = 5\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "'name' in [[systems]]: expected a string, got an integer");
    CHECK(at(e) == posAfter(doc, "name = "));
}

TEST_CASE("a duration written as a bare number asks for a string with a unit", "[loader][errors]") {
    const std::string doc = std::string(kTes) + "timeout = 3\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message,
               Contains("expected a duration string with a unit") && Contains("got an integer"));
    CHECK(at(e) == posAfter(doc, "timeout = "));
}

TEST_CASE("a section of the wrong shape is a type error", "[loader][errors]") {
    const std::string doc = "deadlines = 4\n[systems]\nid = \"tes\"\n";
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.errors.size() == 2);
    CHECK_THAT(r.errors[0].message, Contains("expected a table ([deadlines])"));
    CHECK_THAT(r.errors[1].message,
               Contains("expected an array of tables ([[systems]]), got a table"));
}

TEST_CASE("all errors are collected, in the order of the file", "[loader][errors]") {
    const std::string doc = R"([[systems]]
id = "tes"
role = "primery"
url = "ftp://tes.example/"
slow = "0s"
)";
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.errors.size() == 3);
    CHECK(r.errors[0].line == 3);
    CHECK(r.errors[1].line == 4);
    CHECK(r.errors[2].line == 5);
}

// ---------------------------------------------------------------------------
// Systems

TEST_CASE("a system with neither url nor host is valid and not configured", "[loader][systems]") {
    const LoadResult r = load("[[systems]]\nid = \"tes\"\nname = \"TES\"\nrole = \"primary\"\n");
    INFO(describe(r));
    REQUIRE(r.ok());
    CHECK_FALSE(r.config->systems[0].configured());
}

TEST_CASE("a system is read with every setting", "[loader][systems]") {
    const LoadResult r = load(R"([[systems]]
id = "kassa"
name = "Kassan"
role = "business"
host = "kassa.example"
port = 8443
slow = "200ms"
timeout = "2s"

[[systems]]
id = "web"
role = "outside"
url = "https://web.example/status"
accept_status = [200, 204]
expect_text = "OK"
maintenance_text = ["underhåll"]
follow_redirects = false
)");
    INFO(describe(r));
    REQUIRE(r.ok());
    const System& kassa = r.config->systems[0];
    CHECK(kassa.host == "kassa.example");
    CHECK(kassa.port == 8443);
    CHECK(kassa.configured());
    CHECK(kassa.slow == milliseconds(200));
    CHECK(kassa.timeout == milliseconds(2'000));
    const System& web = r.config->systems[1];
    CHECK(web.name == "web");
    CHECK(web.accept_status == std::vector<int>{200, 204});
    CHECK(web.expect_text == "OK");
    CHECK(web.maintenance_text == std::vector<std::string>{"underhåll"});
    CHECK_FALSE(web.follow_redirects);
    CHECK(web.where.line == 10);
    CHECK(web.where.column == 1);
}

TEST_CASE("a system without an id or a role is reported at its [[systems]] header",
          "[loader][systems]") {
    const std::string doc = std::string(kTes) + "\n[[systems]]\nname = \"X\"\n";
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.errors.size() == 2);
    const Pos header{6, 1};
    CHECK(at(r.errors[0]) == header);
    CHECK(at(r.errors[1]) == header);
    CHECK_THAT(r.errors[0].message + r.errors[1].message,
               Contains("missing key 'id'") && Contains("missing key 'role'"));
}

TEST_CASE("a system id with spaces or capitals is refused", "[loader][systems]") {
    const std::string doc = "[[systems]]\nid = \"Mitt System\"\nrole = \"business\"\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'Mitt System'") && Contains("a-z, 0-9"));
    CHECK(at(e) == posAfter(doc, "id = "));
}

TEST_CASE("an unknown role lists the allowed roles and suggests the closest", "[loader][systems]") {
    const std::string doc = "[[systems]]\nid = \"tes\"\nrole = \"primery\"\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message ==
          "'role' in [[systems]]: unknown value 'primery'; allowed: primary, "
          "business, internal, outside");
    CHECK(e.suggestion == "primary");
    CHECK(at(e) == posAfter(doc, "role = "));
}

TEST_CASE("an unknown organisation lists the allowed values", "[loader][errors]") {
    const std::string doc = "organisation = \"muncipal\"\n" + std::string(kTes);
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("allowed: municipal, external_provider"));
    CHECK(e.suggestion == "municipal");
    CHECK(at(e) == posAfter(doc, "organisation = "));
}

TEST_CASE("a duplicate system id is reported at the second one", "[loader][systems]") {
    const std::string doc =
        std::string(kTes) + "\n[[systems]]\nid = \"tes\"\nrole = \"business\"\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "duplicate system id 'tes' (first on line 2)");
    CHECK(at(e) == Pos{7, 6});
}

TEST_CASE("a system with both url and host is refused", "[loader][systems]") {
    const std::string doc = std::string(kTes) + "host = \"tes.example\"\nport = 443\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("either 'url' or 'host'"));
    CHECK(at(e) == posAfter(doc, "host = "));
}

TEST_CASE("a url that is not http or https is refused", "[loader][systems]") {
    const std::string doc =
        "[[systems]]\nid = \"tes\"\nrole = \"primary\"\nurl = \"ftp://tes.example/\"\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message,
               Contains("'ftp://tes.example/' is not a URL starting with http:// or https://"));
    CHECK(at(e) == posAfter(doc, "url = "));
}

TEST_CASE("a url that does not parse is refused with the parser's reason", "[loader][systems]") {
    const std::string doc = "[[systems]]\nid = \"tes\"\nrole = \"primary\"\nurl = \"www.na.se\"\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'www.na.se' is not a URL") && Contains("(bad scheme)"));
    CHECK(at(e) == posAfter(doc, "url = "));
}

TEST_CASE("a url with a user name or password is refused", "[loader][systems]") {
    const std::string doc =
        "[[systems]]\nid = \"tes\"\nrole = \"primary\"\nurl = "
        "\"https://anna:hemligt@tes.example/\"\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("must not contain a user name or password"));
}

TEST_CASE("a port outside 1-65535 is refused", "[loader][systems]") {
    const auto port = GENERATE(0, 65536, -1);
    const std::string doc =
        "[[systems]]\nid = \"k\"\nrole = \"business\"\nhost = \"k.example\"\nport = " +
        std::to_string(port) + "\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("between 1 and 65535"));
    CHECK(at(e) == posAfter(doc, "port = "));
}

TEST_CASE("a host needs a port and a port needs a host", "[loader][systems]") {
    const std::string no_port =
        "[[systems]]\nid = \"k\"\nrole = \"business\"\nhost = \"k.example\"\n";
    const ConfigError e1 = onlyError(no_port);
    CHECK(e1.message == "'host' in [[systems]] needs a 'port'");
    CHECK(at(e1) == posAfter(no_port, "host = "));

    const std::string no_host = "[[systems]]\nid = \"k\"\nrole = \"business\"\nport = 22\n";
    const ConfigError e2 = onlyError(no_host);
    CHECK(e2.message == "'port' in [[systems]] needs a 'host'");
    CHECK(at(e2) == posAfter(no_host, "port = "));
}

TEST_CASE("an HTTP status outside 100-599 is reported at that status", "[loader][systems]") {
    const std::string doc = std::string(kTes) + "accept_status = [200, 99, 600]\n";
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.errors.size() == 2);
    CHECK(at(r.errors[0]) == posOf(doc, "99"));
    CHECK(at(r.errors[1]) == posOf(doc, "600"));
    CHECK_THAT(r.errors[0].message, Contains("between 100 and 599"));
}

TEST_CASE("a duration that does not parse is reported at its value", "[loader][systems]") {
    const std::string doc = std::string(kTes) + "slow = \"1.5s\"\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'slow' in [[systems]]") && Contains("whole numbers"));
    CHECK(at(e) == posAfter(doc, "slow = "));
}

TEST_CASE("a zero duration is refused", "[loader][systems]") {
    const std::string doc = std::string(kTes) + "timeout = \"0s\"\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "'timeout' in [[systems]] must be longer than 0");
    CHECK(at(e) == posAfter(doc, "timeout = "));
}

TEST_CASE("slow must be shorter than timeout", "[loader][systems]") {
    const std::string doc = std::string(kTes) + "slow = \"3s\"\ntimeout = \"3s\"\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "'slow' (3s) in [[systems]] must be shorter than 'timeout' (3s)");
    CHECK(at(e) == posAfter(doc, "slow = "));
}

TEST_CASE("a system timeout longer than the whole run is a warning, not an error",
          "[loader][systems]") {
    const std::string doc =
        "[deadlines]\nrun = \"2s\"\n" + std::string(kTes) + std::string(kContact);
    const ConfigError w = onlyWarning(doc);
    CHECK_THAT(w.message, Contains("'timeout' (3s)") && Contains("deadlines.run = 2s"));
    CHECK(at(w) == Pos{3, 1});  // the default timeout: reported at the [[systems]] header
}

// ---------------------------------------------------------------------------
// Deadlines, network and clock

TEST_CASE("the local deadline must be shorter than the run", "[loader][deadlines]") {
    const std::string doc = "[deadlines]\nrun = \"1s\"\nlocal = \"1s\"\n" + std::string(kTes);
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'local' (1s) in [deadlines] must be shorter than 'run'"));
    CHECK(at(e) == posAfter(doc, "local = "));
}

TEST_CASE("a negative cert_expiry_warn_days is refused", "[loader][network]") {
    const std::string doc = "[network]\ncert_expiry_warn_days = -1\n" + std::string(kTes);
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("between 0 and 3650, got -1"));
    CHECK(at(e) == posAfter(doc, "cert_expiry_warn_days = "));
}

TEST_CASE("name servers must be IP addresses, optionally with a port", "[loader][network]") {
    const std::string doc =
        "[network]\nnameservers = [\"10.0.0.53\", \"[::1]:5353\", "
        "\"127.0.0.1:5353\", \"::1\", \"dns.example\"]\n" +
        std::string(kTes);
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'dns.example'") && Contains("not an IP address"));
    CHECK(at(e) == posOf(doc, "\"dns.example\""));
}

TEST_CASE("a proxy must be a proxy URL", "[loader][network]") {
    const std::string good =
        "[network]\nproxy = \"http://proxy.example:8080\"\n" + std::string(kTes);
    CHECK(load(good).ok());
    const std::string doc = "[network]\nproxy = \"proxy.example:8080\"\n" + std::string(kTes);
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'proxy' in [network]"));
    CHECK(at(e) == posAfter(doc, "proxy = "));
}

TEST_CASE("a clock reference that names no system is an error with the known ids",
          "[loader][clock]") {
    const std::string doc = "[clock]\nreference = \"tse\"\n" + std::string(kTes);
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "'reference' in [clock]: 'tse' names no system; systems: tes");
    CHECK(e.suggestion == "tes");
    CHECK(at(e) == posAfter(doc, "reference = "));
}

TEST_CASE("an empty clock reference turns the clock check off", "[loader][clock]") {
    const LoadResult r = load("[clock]\nreference = \"\"\n" + std::string(kTes));
    INFO(describe(r));
    REQUIRE(r.ok());
    CHECK(r.config->clock.reference.empty());
}

TEST_CASE("the clock thresholds are whole seconds with warn below fail", "[loader][clock]") {
    const std::string order = "[clock]\nwarn = \"10min\"\nfail = \"5min\"\n" + std::string(kTes);
    const ConfigError e1 = onlyError(order);
    CHECK(e1.message == "'warn' (10min) in [clock] must be shorter than 'fail' (5min)");
    CHECK(at(e1) == posAfter(order, "fail = "));

    const std::string fraction = "[clock]\nwarn = \"1500ms\"\n" + std::string(kTes);
    const ConfigError e2 = onlyError(fraction);
    CHECK_THAT(e2.message, Contains("whole number of seconds"));
}

// ---------------------------------------------------------------------------
// Contacts and hours

namespace {

// A contact with one hours rule; `hours` is the body of [[contacts.hours]].
std::string contactWithHours(std::string_view hours) {
    return std::string(kTes) + "[[contacts]]\nid = \"sup\"\nname = \"Support\"\nphone = \"1\"\n" +
           "[[contacts.hours]]\n" + std::string(hours);
}

HoursRule onlyRule(const std::string& doc) {
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.ok());
    REQUIRE(r.config->contacts.size() == 1);
    REQUIRE(r.config->contacts[0].hours.size() == 1);
    return r.config->contacts[0].hours[0];
}

}  // namespace

TEST_CASE("days are read as a range, a single day or a list", "[loader][contacts]") {
    const std::string times = "open = \"08:00\"\nclose = \"16:00\"\n";
    CHECK(onlyRule(contactWithHours("days = \"mon-fri\"\n" + times)).days ==
          std::vector<int>{1, 2, 3, 4, 5});
    CHECK(onlyRule(contactWithHours("days = \"fri\"\n" + times)).days == std::vector<int>{5});
    CHECK(onlyRule(contactWithHours("days = [\"sun\", \"mon\", \"sat-sun\"]\n" + times)).days ==
          std::vector<int>{1, 6, 7});
}

TEST_CASE("opening hours accept TOML times as well as strings", "[loader][contacts]") {
    const HoursRule h =
        onlyRule(contactWithHours("days = \"mon\"\nopen = 07:30:00\nclose = \"24:00\"\n"));
    CHECK(h.open.minutes == 7 * 60 + 30);
    CHECK(h.close.minutes == 24 * 60);
}

TEST_CASE("a misspelt day is reported at its value with a suggestion", "[loader][contacts]") {
    const std::string doc =
        contactWithHours("days = \"mon-fir\"\nopen = \"08:00\"\nclose = \"16:00\"\n");
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("unknown day 'fir'"));
    CHECK(e.suggestion == "fri");
    CHECK(at(e) == posAfter(doc, "days = "));
}

TEST_CASE("a backwards day range and an empty day list are refused", "[loader][contacts]") {
    const std::string times = "open = \"08:00\"\nclose = \"16:00\"\n";
    const std::string backwards = contactWithHours("days = \"fri-mon\"\n" + times);
    const ConfigError e1 = onlyError(backwards);
    CHECK_THAT(e1.message, Contains("'fri-mon'") && Contains("must run forwards"));
    CHECK(at(e1) == posAfter(backwards, "days = "));

    const std::string empty = contactWithHours("days = []\n" + times);
    const ConfigError e2 = onlyError(empty);
    CHECK_THAT(e2.message, Contains("is empty"));
}

TEST_CASE("a bad time of day is reported at its value", "[loader][contacts]") {
    const std::string doc =
        contactWithHours("days = \"mon\"\nopen = \"8.00\"\nclose = \"16:00\"\n");
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'8.00' is not a time of day"));
    CHECK(at(e) == posAfter(doc, "open = "));
}

TEST_CASE("opening must come before closing", "[loader][contacts]") {
    const std::string doc =
        contactWithHours("days = \"mon\"\nopen = \"17:00\"\nclose = \"08:00\"\n");
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "'close' (08:00) in [[contacts.hours]] must be after 'open' (17:00)");
    CHECK(at(e) == posAfter(doc, "close = "));
}

TEST_CASE("a break outside the opening hours is reported at the break", "[loader][contacts]") {
    const std::string doc = contactWithHours(
        "days = \"mon\"\nopen = \"07:00\"\nclose = \"12:30\"\n"
        "breaks = [{ from = \"12:00\", to = \"13:00\" }]\n");
    const ConfigError e = onlyError(doc);
    CHECK(e.message ==
          "break 12:00–13:00 in [[contacts.hours]] is outside the opening hours 07:00–12:30");
    CHECK(at(e) == posOf(doc, "{ from"));
}

TEST_CASE("a break that ends before it starts is refused", "[loader][contacts]") {
    const std::string doc = contactWithHours(
        "days = \"mon\"\nopen = \"07:00\"\nclose = \"17:00\"\n"
        "breaks = [{ from = \"13:00\", to = \"12:00\" }]\n");
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("must end after it starts"));
    CHECK(at(e) == posAfter(doc, "to = "));
}

TEST_CASE("a duplicate contact id is reported at the second one", "[loader][contacts]") {
    const std::string doc = std::string(kTes) +
                            "[[contacts]]\nid = \"sup\"\nname = \"A\"\nphone = \"1\"\n"
                            "[[contacts]]\nid = \"sup\"\nname = \"B\"\nphone = \"2\"\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "duplicate contact id 'sup' (first on line 6)");
    CHECK(at(e) == Pos{10, 6});
}

TEST_CASE("a contact that cannot be reached is a warning", "[loader][contacts]") {
    const std::string doc = std::string(kTes) + "[[contacts]]\nid = \"x\"\nname = \"X\"\n";
    const ConfigError w = onlyWarning(doc);
    CHECK_THAT(w.message, Contains("no phone number and no e-mail address"));
    CHECK(at(w) == posOf(doc, "[[contacts]]"));
}

// The advice says whom to call; a profile with no one to call is worth a warning.
constexpr std::string_view kNoContactsWarning =
    "inga [[contacts]] är konfigurerade: råden kan inte säga vem man ska ringa / "
    "no [[contacts]] are configured: the advice cannot say whom to call";
constexpr std::string_view kNeverOpenWarning =
    "ingen kontakt i [[contacts]] har öppet någon timme i veckan: råden kan inte säga vem man "
    "ska ringa / no contact in [[contacts]] is open at any hour of the week: the advice cannot "
    "say whom to call";

TEST_CASE("a profile without contacts is a warning at the top of the file", "[loader][contacts]") {
    // Where the missing [[systems]] is reported too: the section has no position.
    const ConfigError w = onlyWarning(kTes);
    CHECK(w.message == kNoContactsWarning);
    CHECK(at(w) == Pos{1, 1});
    CHECK(w.format() == "test.toml:1:1: " + std::string(kNoContactsWarning));
}

TEST_CASE("an empty contacts array is a warning where it is written", "[loader][contacts]") {
    const std::string doc = "contacts = []\n" + std::string(kTes);
    const ConfigError w = onlyWarning(doc);
    CHECK(w.message == kNoContactsWarning);
    CHECK(at(w) == posAfter(doc, "contacts = "));
}

namespace {

// A [[contacts]] table with a phone number, and a [[contacts.hours]] table with
// `hours` as its body unless that is empty (a contact without hours: always open).
std::string contactWith(std::string_view id, std::string_view hours) {
    std::string t = "[[contacts]]\nid = \"" + std::string(id) + "\"\nname = \"" + std::string(id) +
                    "\"\nphone = \"1\"\n";
    if (!hours.empty())
        t += "[[contacts.hours]]\n" + std::string(hours);
    return t;
}

}  // namespace

TEST_CASE("contacts that are open at no hour of the week are a warning at the first one",
          "[loader][contacts]") {
    const std::string hours = GENERATE(
        // Weekend hours, but only on vardagar (the default): never.
        std::string("days = \"sat-sun\"\nopen = \"10:00\"\nclose = \"14:00\"\n"),
        // Breaks that fill the opening hours.
        std::string("days = \"mon-fri\"\nopen = \"08:00\"\nclose = \"10:00\"\n"
                    "breaks = [{from = \"08:00\", to = \"09:00\"}, "
                    "{from = \"09:00\", to = \"10:00\"}]\n"));
    INFO(hours);
    const std::string doc = std::string(kTes) + contactWith("a", hours) + contactWith("b", hours);
    const ConfigError w = onlyWarning(doc);
    CHECK(w.message == kNeverOpenWarning);
    CHECK(at(w) == posOf(doc, "[[contacts]]"));
}

TEST_CASE("contacts open at some hour of the week give no warning", "[loader][contacts]") {
    const std::string hours = GENERATE(
        // Weekend hours that apply on weekends, for one minute.
        std::string("days = \"sat\"\nopen = \"10:00\"\nclose = \"10:01\"\n"
                    "only_weekdays = false\n"),
        // A minute between two breaks.
        std::string("days = \"fri\"\nopen = \"08:00\"\nclose = \"10:00\"\n"
                    "breaks = [{from = \"08:00\", to = \"09:00\"}, "
                    "{from = \"09:01\", to = \"10:00\"}]\n"),
        // No hours: always open, like the on-call.
        std::string());
    INFO(hours);
    // Next to a contact that is never open.
    const std::string never = "days = \"sun\"\nopen = \"10:00\"\nclose = \"14:00\"\n";
    const LoadResult r =
        load(std::string(kTes) + contactWith("a", never) + contactWith("b", hours));
    INFO(describe(r));
    REQUIRE(r.ok());
    CHECK(r.warnings.empty());
}

TEST_CASE("contacts whose hours are invalid get the error and no warning about their hours",
          "[loader][contacts]") {
    const LoadResult r =
        load(std::string(kTes) +
             contactWith("a", "days = \"mon\"\nopen = \"14:00\"\nclose = \"10:00\"\n"));
    INFO(describe(r));
    CHECK(r.errors.size() == 1);
    CHECK(r.warnings.empty());
}

// ---------------------------------------------------------------------------
// Holidays and maintenance

TEST_CASE("extra closed days are TOML dates", "[loader][holidays]") {
    const LoadResult r =
        load("[holidays]\nchristmas_eve_closed = false\nextra_closed = [2026-12-28, 2027-01-05]\n" +
             std::string(kTes));
    INFO(describe(r));
    REQUIRE(r.ok());
    CHECK_FALSE(r.config->holidays.christmas_eve_closed);
    CHECK(r.config->holidays.extra_closed == std::vector<std::string>{"2026-12-28", "2027-01-05"});
}

TEST_CASE("an extra closed day in quotes is refused with a hint", "[loader][holidays]") {
    const std::string doc = "[holidays]\nextra_closed = [\"2026-12-28\"]\n" + std::string(kTes);
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("a date without quotes") && Contains("got a string"));
    CHECK(at(e) == posOf(doc, "\"2026-12-28\""));
}

TEST_CASE("a maintenance window is stored to the minute with its position",
          "[loader][maintenance]") {
    const std::string doc = std::string(kTes) +
                            "[[maintenance.windows]]\nsystems = [\"tes\"]\n"
                            "start = 2026-12-01T09:00:00\nend = 2026-12-01T14:00:00\n"
                            "title = \"Uppgradering\"\n";
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.ok());
    REQUIRE(r.config->maintenance.windows.size() == 1);
    const MaintenanceWindow& w = r.config->maintenance.windows[0];
    CHECK(w.systems == std::vector<std::string>{"tes"});
    CHECK(w.start == "2026-12-01T09:00");
    CHECK(w.end == "2026-12-01T14:00");
    CHECK(w.title == "Uppgradering");
    CHECK(w.where.line == 5);
}

TEST_CASE("a maintenance window naming no system is reported at that name",
          "[loader][maintenance]") {
    const std::string doc = std::string(kTes) +
                            "[[maintenance.windows]]\nsystems = [\"tes\", \"tez_app\"]\n"
                            "start = 2026-12-01T09:00:00\nend = 2026-12-01T14:00:00\n";
    const ConfigError e = onlyError(doc);
    CHECK_THAT(e.message, Contains("'tez_app' names no system"));
    CHECK(at(e) == posOf(doc, "\"tez_app\""));
}

TEST_CASE("a maintenance window must end after it starts", "[loader][maintenance]") {
    const std::string doc = std::string(kTes) +
                            "[[maintenance.windows]]\n"
                            "start = 2026-12-01T14:00:00\nend = 2026-12-01T09:00:00\n";
    const ConfigError e = onlyError(doc);
    CHECK(e.message ==
          "'end' (2026-12-01T09:00) in [[maintenance.windows]] must be after "
          "'start' (2026-12-01T14:00)");
    CHECK(at(e) == posAfter(doc, "end = "));
}

TEST_CASE("a maintenance time in quotes or with an offset is refused", "[loader][maintenance]") {
    const std::string quoted = std::string(kTes) +
                               "[[maintenance.windows]]\n"
                               "start = \"2026-12-01T09:00\"\nend = 2026-12-01T14:00:00\n";
    const ConfigError e1 = onlyError(quoted);
    CHECK_THAT(e1.message,
               Contains("a local date-time without quotes") && Contains("got a string"));
    CHECK(at(e1) == posAfter(quoted, "start = "));

    const std::string offset = std::string(kTes) +
                               "[[maintenance.windows]]\n"
                               "start = 2026-12-01T09:00:00Z\nend = 2026-12-01T14:00:00\n";
    const ConfigError e2 = onlyError(offset);
    CHECK_THAT(e2.message, Contains("without a UTC offset"));
}

// ---------------------------------------------------------------------------
// Rendering

TEST_CASE("the rendered config starts with a comment naming its source", "[loader][render]") {
    const std::string text = renderToml(builtin());
    CHECK(text.starts_with(
        "# driftkoll: effektiv konfiguration\n# Källa: <inbyggd standardprofil>\n"));
}

TEST_CASE("the rendered built-in profile loads back to an equal config", "[loader][render]") {
    const Config original = builtin();
    const std::string text = renderToml(original);
    const LoadResult again = loadString(text, "rendered.toml");
    INFO(describe(again) << text);
    REQUIRE(again.ok());
    CHECK(again.warnings.empty());
    CHECK(withoutPositions(*again.config) == withoutPositions(original));
}

TEST_CASE("a config using every kind of setting survives rendering", "[loader][render]") {
    const LoadResult first = load(R"(profile = "test"
organisation = "external_provider"
[deadlines]
run = "6s"
local = "300ms"
confirm_delay = "90ms"
confirm_failures = false
[network]
nameservers = ["10.0.0.53", "[::1]:5353"]
proxy = "http://proxy.example:3128"
no_proxy = "localhost,.example"
dns_slow = "1s"
cert_expiry_warn_days = 0
[clock]
reference = "web"
warn = "90s"
fail = "1h"
[[systems]]
id = "kassa"
role = "business"
host = "kassa.example"
port = 8443
[[systems]]
id = "web"
name = "Webben"
role = "outside"
url = "https://web.example/"
accept_status = [200, 301]
expect_text = "Välkommen"
maintenance_text = ["underhåll", "it's down"]
slow = "750ms"
timeout = "5s"
follow_redirects = false
[[contacts]]
id = "sup"
name = "Support"
email = "support@example.org"
menu = ["2"]
municipal_only = true
note = "Rad ett\nrad två"
[[contacts.hours]]
days = ["mon", "wed", "fri"]
open = "06:45"
close = "24:00"
breaks = [{ from = "11:00", to = "11:30" }, { from = "18:00", to = "18:15" }]
only_weekdays = false
[holidays]
midsummer_eve_closed = false
extra_closed = [2026-12-28]
[maintenance]
ics = "https://intranat.example/underhall.ics"
[[maintenance.windows]]
systems = []
start = 2026-12-01T09:00:00
end = 2026-12-02T14:30:00
title = "Stor uppgradering"
)");
    INFO(describe(first));
    REQUIRE(first.ok());
    const std::string text = renderToml(*first.config);
    const LoadResult again = loadString(text, "rendered.toml");
    INFO(describe(again) << text);
    REQUIRE(again.ok());
    CHECK(withoutPositions(*again.config) == withoutPositions(*first.config));
}

// ---------------------------------------------------------------------------
// The Carelock guide

namespace {

// A valid night slot, 22:00–07:00 every day.
constexpr std::string_view kNight = R"([[carelock.slots]]
id = "natt"
days = "alla"
from = "22:00"
to = "07:00"
[[carelock.slots.steps]]
text = "Ring polisen."
phone = "112"
)";

// A guide of `day` (the body of the first [[carelock.slots]]) and the night slot.
std::string guideWith(std::string_view day) {
    return std::string(kTes) + "[[carelock.slots]]\n" + std::string(day) + std::string(kNight) +
           std::string(kContact);
}

// A day slot that, with the night, covers every day: 07:00–22:00 every day.
constexpr std::string_view kDay = R"(id = "dag"
days = "alla"
from = "07:00"
to = "22:00"
[[carelock.slots.steps]]
text = "Använd backup-nyckeln."
)";

}  // namespace

TEST_CASE("the built-in Carelock guide has the routine's four slots", "[loader][carelock]") {
    const Config c = builtin();
    const auto [id, days, from, to] = GENERATE(table<std::string, CarelockDays, int, int>({
        {"vardag_dag", CarelockDays::vardag, 7 * 60, 17 * 60},
        {"kvall", CarelockDays::vardag, 17 * 60, 22 * 60},
        {"helg", CarelockDays::helg, 7 * 60, 22 * 60},
        {"natt", CarelockDays::alla, 22 * 60, 7 * 60},
    }));
    INFO(id);
    const CarelockSlot* slot = c.carelock.findSlot(id);
    REQUIRE(slot);
    CHECK(slot->days == days);
    CHECK(slot->from.minutes == from);
    CHECK(slot->to.minutes == to);
    CHECK_FALSE(slot->steps.empty());
    CHECK(c.carelock.slots.size() == 4);
}

TEST_CASE("a Carelock slot is read with its steps, one phone number or several",
          "[loader][carelock]") {
    const std::string doc = guideWith(R"(id = "dag"
days = "alla"
from = 07:00:00
to = "22:00"
[[carelock.slots.steps]]
text = "Använd backup-nyckeln."
text_en = "Use the backup key."
[[carelock.slots.steps]]
phone = ["019-10 54 10", "020-24 00 00"]
[[carelock.slots.steps]]
text = "Ring."
phone = ""
)");
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.ok());
    CHECK(r.warnings.empty());
    REQUIRE(r.config->carelock.slots.size() == 2);
    const CarelockSlot& day = r.config->carelock.slots[0];
    CHECK(day.id == "dag");
    CHECK(day.days == CarelockDays::alla);
    CHECK(day.from.minutes == 7 * 60);
    CHECK(day.to.minutes == 22 * 60);
    REQUIRE(day.steps.size() == 3);
    CHECK(day.steps[0].text == "Använd backup-nyckeln.");
    CHECK(day.steps[0].text_en == "Use the backup key.");
    CHECK(day.steps[0].phones.empty());
    CHECK(day.steps[1].text.empty());
    CHECK(day.steps[1].phones == std::vector<std::string>{"019-10 54 10", "020-24 00 00"});
    CHECK(day.steps[2].phones.empty());
    const CarelockSlot& night = r.config->carelock.slots[1];
    CHECK(night.wrapsMidnight());
    CHECK(night.steps[0].phones == std::vector<std::string>{"112"});
}

TEST_CASE("a config without a Carelock guide loads with no guide and no warning",
          "[loader][carelock]") {
    const LoadResult r = load(std::string(kTes) + std::string(kContact));
    INFO(describe(r));
    REQUIRE(r.ok());
    CHECK(r.warnings.empty());
    CHECK(r.config->carelock.slots.empty());
}

TEST_CASE("an unknown Carelock days value lists the allowed ones", "[loader][carelock]") {
    const std::string doc = guideWith(R"(id = "dag"
days = "vardagar"
from = "07:00"
to = "22:00"
[[carelock.slots.steps]]
text = "Ring."
)");
    const ConfigError e = onlyError(doc);
    CHECK(e.message ==
          "'days' in [[carelock.slots]]: unknown value 'vardagar'; allowed: vardag, helg, alla");
    CHECK(e.suggestion == "vardag");
    CHECK(at(e) == posAfter(doc, "days = "));
}

TEST_CASE("a bad Carelock time is reported at its value", "[loader][carelock]") {
    const auto [from, to, key, message] =
        GENERATE(table<std::string, std::string, std::string, std::string>({
            {"\"7.00\"", "\"22:00\"", "from = ",
             "'from' in [[carelock.slots]]: '7.00' is not a time of day; write \"HH:MM\", e.g. "
             "\"08:00\""},
            {"\"07:00\"", "\"25:00\"", "to = ",
             "'to' in [[carelock.slots]]: '25:00' is not a time of day; write \"HH:MM\", e.g. "
             "\"08:00\""},
            {"\"24:00\"", "\"07:00\"", "from = ",
             "'from' in [[carelock.slots]] must be before 24:00; a slot that starts at midnight "
             "starts at \"00:00\""},
            {"7", "\"22:00\"", "from = ",
             "'from' in [[carelock.slots]]: expected a time of day such as \"08:00\", got an "
             "integer"},
        }));
    const std::string doc =
        guideWith("id = \"dag\"\ndays = \"alla\"\nfrom = " + from + "\nto = " + to +
                  "\n[[carelock.slots.steps]]\ntext = \"x\"\n");
    const ConfigError e = onlyError(doc);
    CHECK(e.message == message);
    CHECK(at(e) == posAfter(doc, key));
}

TEST_CASE("a Carelock slot that ends when it starts is refused", "[loader][carelock]") {
    const std::string doc = guideWith(R"(id = "dag"
days = "alla"
from = "07:00"
to = "07:00"
[[carelock.slots.steps]]
text = "Ring."
)");
    const ConfigError e = onlyError(doc);
    CHECK(e.message ==
          "'to' (07:00) in [[carelock.slots]] must differ from 'from' (07:00); a slot whose "
          "'to' is before its 'from' runs past midnight");
    CHECK(at(e) == posAfter(doc, "to = "));
}

TEST_CASE("a Carelock slot needs its days, times and at least one step", "[loader][carelock]") {
    const std::string missing = guideWith("id = \"dag\"\n");
    const LoadResult r = load(missing);
    INFO(describe(r));
    REQUIRE(r.errors.size() == 4);
    const Pos header = posOf(missing, "[[carelock.slots]]");
    for (const ConfigError& e : r.errors) CHECK(at(e) == header);
    CHECK(r.errors[0].message == "missing key 'days' in [[carelock.slots]]");
    CHECK(r.errors[1].message == "missing key 'from' in [[carelock.slots]]");
    CHECK(r.errors[2].message == "missing key 'to' in [[carelock.slots]]");
    CHECK(r.errors[3].message == "missing key 'steps' in [[carelock.slots]]");

    const std::string empty =
        guideWith("id = \"dag\"\ndays = \"alla\"\nfrom = \"07:00\"\nto = \"22:00\"\nsteps = []\n");
    const ConfigError e = onlyError(empty);
    CHECK(e.message == "'steps' in [[carelock.slots]] is empty; a slot needs at least one step");
    CHECK(at(e) == posAfter(empty, "steps = "));
}

TEST_CASE("a Carelock step with neither text nor phone is refused at the step",
          "[loader][carelock]") {
    const std::string doc = guideWith(R"(id = "dag"
days = "alla"
from = "07:00"
to = "22:00"
[[carelock.slots.steps]]
text_en = "Call."
phone = []
)");
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "a step in [[carelock.slots.steps]] needs a 'text' or a 'phone'");
    CHECK(at(e) == posOf(doc, "[[carelock.slots.steps]]"));
}

TEST_CASE("a Carelock phone must be a number or a list of non-empty numbers",
          "[loader][carelock]") {
    const auto [phone, needle, message] = GENERATE(table<std::string, std::string, std::string>({
        {"112", "phone = 112",
         "'phone' in [[carelock.slots.steps]]: expected a phone number or a list of phone "
         "numbers, got an integer"},
        {"[\"112\", 112]", ", 112",
         "element of 'phone' in [[carelock.slots.steps]]: expected a phone number, got an "
         "integer"},
        {"[\"112\", \"\"]", ", \"\"",
         "a phone number in 'phone' in [[carelock.slots.steps]] must not be empty"},
    }));
    const std::string doc = guideWith(
        "id = \"dag\"\ndays = \"alla\"\nfrom = \"07:00\"\nto = \"22:00\"\n"
        "[[carelock.slots.steps]]\ntext = \"Ring.\"\nphone = " +
        phone + "\n");
    const ConfigError e = onlyError(doc);
    CHECK(e.message == message);
    Pos where = posOf(doc, needle);
    if (needle.starts_with(", "))
        where.column += 2;
    else
        where.column += static_cast<int>(std::string_view("phone = ").size());
    CHECK(at(e) == where);
}

TEST_CASE("a duplicate Carelock slot id is reported at the second one", "[loader][carelock]") {
    const std::string doc = guideWith(R"(id = "natt"
days = "alla"
from = "07:00"
to = "22:00"
[[carelock.slots.steps]]
text = "Ring."
)");
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "duplicate Carelock slot id 'natt' (first on line 6)");
    CHECK(at(e) == Pos{posOf(doc, kNight).line + 1, 6});
}

TEST_CASE("an unknown key in a Carelock step is reported with a suggestion", "[loader][carelock]") {
    const std::string doc = guideWith(std::string(kDay) + "phnoe = \"112\"\n");
    const ConfigError e = onlyError(doc);
    CHECK(e.message == "unknown key 'phnoe' in [[carelock.slots.steps]]");
    CHECK(e.suggestion == "phone");
    CHECK(at(e) == posOf(doc, "phnoe"));
}

TEST_CASE("Carelock slots that leave some time uncovered give a warning at [carelock]",
          "[loader][carelock]") {
    // The day slot ends at 17:00 on vardagar: the evenings have no slot, on any day,
    // and helg days only have the night.
    const std::string doc = guideWith(R"(id = "dag"
days = "vardag"
from = "07:00"
to = "17:00"
[[carelock.slots.steps]]
text = "Ring."
)");
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.ok());
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].message == "no Carelock slot covers 17:00–22:00 on a weekday (vardag)");
    CHECK(r.warnings[1].message ==
          "no Carelock slot covers 07:00–22:00 on a weekend day or holiday (helg)");
    for (const ConfigError& w : r.warnings) CHECK(at(w) == posOf(doc, "[[carelock.slots]]"));
}

TEST_CASE("Carelock slots that overlap give a warning naming them", "[loader][carelock]") {
    const std::string doc = guideWith(R"(id = "dag"
days = "alla"
from = "06:00"
to = "22:30"
[[carelock.slots.steps]]
text = "Ring."
)");
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.ok());
    CHECK(r.warnings.size() == 4);
    for (const ConfigError& w : r.warnings) CHECK_THAT(w.message, Contains("'dag' and 'natt'"));
    CHECK(r.warnings[0].message ==
          "Carelock slots 'dag' and 'natt' overlap 06:00–07:00 on a weekday (vardag)");
    CHECK(r.warnings[1].message ==
          "Carelock slots 'dag' and 'natt' overlap 22:00–22:30 on a weekday (vardag)");
}

TEST_CASE("a night slot for one kind of day is missed on the morning after the other kind",
          "[loader][carelock]") {
    // The night is for vardagar only; a separate day slot covers 07:00–22:00 and the
    // helg evening 22:00–24:00. Sunday's night, Monday 00:00–07:00, has no slot.
    const std::string doc = std::string(kTes) + std::string("[[carelock.slots]]\n") +
                            std::string(kDay) + R"([[carelock.slots]]
id = "vardagsnatt"
days = "vardag"
from = "22:00"
to = "07:00"
[[carelock.slots.steps]]
text = "Ring."
[[carelock.slots]]
id = "helgkvall"
days = "helg"
from = "22:00"
to = "24:00"
[[carelock.slots.steps]]
text = "Ring."
)" + std::string(kContact);
    const LoadResult r = load(doc);
    INFO(describe(r));
    REQUIRE(r.ok());
    REQUIRE(r.warnings.size() == 2);
    CHECK(r.warnings[0].message ==
          "no Carelock slot covers 00:00–07:00 on a weekday (vardag) after a weekend day or "
          "holiday (helg)");
    CHECK(r.warnings[1].message ==
          "no Carelock slot covers 00:00–07:00 on a weekend day or holiday (helg) after a "
          "weekend day or holiday (helg)");
}

TEST_CASE("a Carelock guide survives rendering", "[loader][carelock][render]") {
    const LoadResult first = load(guideWith(R"(id = "dag"
days = "alla"
from = "07:00"
to = "22:00"
[[carelock.slots.steps]]
text = "Använd backup-nyckeln."
text_en = "Use the backup key."
[[carelock.slots.steps]]
phone = ["019-10 54 10", "020-24 00 00"]
[[carelock.slots.steps]]
text = "Ring."
phone = "019-21 49 44"
)"));
    INFO(describe(first));
    REQUIRE(first.ok());
    const std::string text = renderToml(*first.config);
    const LoadResult again = loadString(text, "rendered.toml");
    INFO(describe(again) << text);
    REQUIRE(again.ok());
    CHECK(again.warnings.empty());
    CHECK(withoutPositions(*again.config) == withoutPositions(*first.config));
}

TEST_CASE("the agent settings are read, checked and kept by the round trip", "[agent]") {
    auto r = dk::config::loadString(
        "[agent]\ninterval = \"10min\"\nhistory_max_runs = 500\nsite = \"Hemtjänst Väster\"\n"
        "metrics_textfile = \"/var/lib/node/driftkoll.prom\"\n",
        "agent.toml");
    REQUIRE(r.ok());
    CHECK(r.config->agent.interval == std::chrono::minutes(10));
    CHECK(r.config->agent.history_max_runs == 500);
    CHECK(r.config->agent.site == "Hemtjänst Väster");
    auto back = dk::config::loadString(dk::config::renderToml(*r.config), "again.toml");
    REQUIRE(back.ok());
    CHECK(back.config->agent == r.config->agent);
}

TEST_CASE("an agent interval under ten seconds is refused at its value", "[agent]") {
    auto r = dk::config::loadString("[agent]\ninterval = \"1s\"\n", "agent.toml");
    REQUIRE(r.errors.size() == 1);
    CHECK(r.errors[0].line == 2);
    CHECK(r.errors[0].column == 12);
}

TEST_CASE("a relative metrics textfile path is refused", "[agent]") {
    auto r = dk::config::loadString("[agent]\nmetrics_textfile = \"driftkoll.prom\"\n", "a.toml");
    REQUIRE(r.errors.size() == 1);
    CHECK_THAT(r.errors[0].message, Catch::Contains("absolute"));
}
