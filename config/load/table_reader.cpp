#include "config/load/table_reader.h"

#include <algorithm>
#include <utility>

#include "config/durations.h"

namespace dk::config::load {

TableReader::TableReader(const toml::table& table, std::string context, Diagnostics& diag,
                         std::vector<std::string_view> keys)
    : table_(table), context_(std::move(context)), diag_(diag), keys_(std::move(keys)) {
    for (auto&& [key, value] : table_) {
        if (std::find(keys_.begin(), keys_.end(), key.str()) != keys_.end())
            continue;
        diag_.error(key.source().begin, "unknown key " + quote(key.str()) + " " + context_,
                    closest(key.str(), keys_));
    }
}

toml::source_position TableReader::at(std::string_view key) const {
    const toml::node* n = node(key);
    return (n ? n->source() : table_.source()).begin;
}

bool TableReader::typeError(std::string_view key, const toml::node& n, std::string_view expected) {
    diag_.error(n.source().begin, subject(key) + ": expected " + std::string(expected) + ", got " +
                                      std::string(kindOf(n)));
    return false;
}

bool TableReader::elementTypeError(std::string_view key, const toml::node& n,
                                   std::string_view expected) {
    diag_.error(n.source().begin, "element of " + subject(key) + ": expected " +
                                      std::string(expected) + ", got " + std::string(kindOf(n)));
    return false;
}

bool TableReader::require(std::string_view key) {
    if (node(key))
        return true;
    diag_.error(table_.source().begin, "missing key " + quote(key) + " " + context_);
    return false;
}

template <typename T>
bool TableReader::scalar(std::string_view key, T& out, std::string_view expected) {
    const toml::node* n = node(key);
    if (!n)
        return true;
    if (const auto* v = n->as<T>()) {
        out = v->get();
        return true;
    }
    return typeError(key, *n, expected);
}

bool TableReader::string(std::string_view key, std::string& out) {
    return scalar(key, out, "a string");
}

bool TableReader::boolean(std::string_view key, bool& out) {
    return scalar(key, out, "a boolean (true or false)");
}

bool TableReader::integer(std::string_view key, std::int64_t& out) {
    return scalar(key, out, "an integer");
}

bool TableReader::duration(std::string_view key, Millis& out) {
    const toml::node* n = node(key);
    if (!n)
        return true;
    const auto* v = n->as_string();
    if (!v)
        return typeError(key, *n, "a duration string with a unit, such as \"3s\"");
    std::string err;
    const auto d = parseDuration(v->get(), &err);
    if (!d) {
        diag_.error(n->source().begin, subject(key) + ": " + err);
        return false;
    }
    if (d->count() <= 0) {
        diag_.error(n->source().begin, subject(key) + " must be longer than 0");
        return false;
    }
    out = *d;
    return true;
}

bool TableReader::strings(std::string_view key, std::vector<std::string>& out) {
    const toml::node* n = node(key);
    if (!n)
        return true;
    const auto* arr = n->as_array();
    if (!arr)
        return typeError(key, *n, "an array of strings");
    std::vector<std::string> values;
    bool ok = true;
    for (const toml::node& e : *arr) {
        if (const auto* s = e.as_string())
            values.push_back(s->get());
        else
            ok = elementTypeError(key, e, "a string");
    }
    if (ok)
        out = std::move(values);
    return ok;
}

void TableReader::unknownValue(std::string_view key, const toml::node& n, const std::string& value,
                               const std::vector<std::string_view>& allowed) {
    diag_.error(n.source().begin,
                subject(key) + ": unknown value " + quote(value) + "; allowed: " + joined(allowed),
                closest(value, allowed));
}

const toml::table* TableReader::subTable(std::string_view key) {
    const toml::node* n = node(key);
    if (!n)
        return nullptr;
    if (const auto* t = n->as_table())
        return t;
    typeError(key, *n, "a table ([" + std::string(key) + "])");
    return nullptr;
}

std::vector<const toml::table*> TableReader::tables(std::string_view key, std::string_view header) {
    std::vector<const toml::table*> out;
    const toml::node* n = node(key);
    if (!n)
        return out;
    const std::string expected = "an array of tables (" + std::string(header) + ")";
    const auto* arr = n->as_array();
    if (!arr) {
        typeError(key, *n, expected);
        return out;
    }
    for (const toml::node& e : *arr) {
        if (const auto* t = e.as_table())
            out.push_back(t);
        else
            elementTypeError(key, e, "a table");
    }
    return out;
}

}  // namespace dk::config::load
