#include "config/load/text.h"

#include <algorithm>
#include <cstddef>

namespace dk::config::load {

namespace {

// Edit distance with adjacent transpositions counted as one edit ("prot" -> "port").
std::size_t editDistance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

std::string quote(std::string_view s) {
    return "'" + std::string(s) + "'";
}

char lower(char ch) {
    return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = lower(ch);
    return out;
}

std::string lowerFirst(std::string s) {
    if (!s.empty())
        s.front() = lower(s.front());
    return s;
}

std::string joined(const std::vector<std::string_view>& names) {
    std::string out;
    for (std::string_view n : names) out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
}

std::string closest(std::string_view word, const std::vector<std::string_view>& candidates) {
    const std::string w = lower(word);
    const std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(2, w.size() / 3));
    std::string_view best;
    std::size_t best_distance = limit + 1;
    for (std::string_view c : candidates) {
        const std::size_t dist = editDistance(w, c);
        if (dist < best_distance) {
            best = c;
            best_distance = dist;
        }
    }
    return std::string(best);
}

std::string_view kindOf(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a floating-point number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::none:
            break;
    }
    return "nothing";
}

}  // namespace dk::config::load
