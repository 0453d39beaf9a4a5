// Reading one table of the schema.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "config/load/diagnostics.h"
#include "config/load/spelling.h"
#include "config/load/text.h"
#include "config/model.h"

namespace dk::config::load {

// Wraps one TOML table: reports the keys the schema does not know (with a
// suggestion when one is close), and reads the known keys with type checks.
// The typed getters leave `out` untouched when the key is absent, and return
// false only when the key is present but its value is invalid (already reported).
class TableReader {
public:
    // `context` names the table in messages: "in [[systems]]", "at the top level".
    TableReader(const toml::table& table, std::string context, Diagnostics& diag,
                std::vector<std::string_view> keys);

    Diagnostics& diag() { return diag_; }
    const std::string& context() const { return context_; }
    const toml::node* node(std::string_view key) const { return table_.get(key); }

    // The position of the key's value, or of the table when the key is absent.
    toml::source_position at(std::string_view key) const;

    // "'timeout' in [[systems]]": how messages name a key.
    std::string subject(std::string_view key) const { return quote(key) + " " + context_; }

    // Reports "'key' ...: expected X, got Y" at `n`; returns false.
    bool typeError(std::string_view key, const toml::node& n, std::string_view expected);
    bool elementTypeError(std::string_view key, const toml::node& n, std::string_view expected);

    // Reports a missing key at the table's position; returns false.
    bool require(std::string_view key);

    bool string(std::string_view key, std::string& out);
    bool boolean(std::string_view key, bool& out);
    bool integer(std::string_view key, std::int64_t& out);
    // A duration string ("4s"); zero and negative durations are invalid everywhere.
    bool duration(std::string_view key, Millis& out);
    bool strings(std::string_view key, std::vector<std::string>& out);

    // A string that must be one of `names`.
    template <typename E, std::size_t N>
    bool enumeration(std::string_view key, const std::array<EnumName<E>, N>& names, E& out) {
        const toml::node* n = node(key);
        if (!n)
            return true;
        const auto* v = n->as_string();
        if (!v)
            return typeError(key, *n, "a string");
        std::vector<std::string_view> allowed;
        for (const auto& name : names) {
            if (name.name == v->get()) {
                out = name.value;
                return true;
            }
            allowed.push_back(name.name);
        }
        unknownValue(key, *n, v->get(), allowed);
        return false;
    }

    // A sub-table such as [deadlines]; nullptr when absent or not a table.
    const toml::table* subTable(std::string_view key);

    // An array of tables such as [[systems]]; empty when absent or invalid.
    std::vector<const toml::table*> tables(std::string_view key, std::string_view header);

private:
    // A value of TOML type T (std::string, bool, std::int64_t) into `out`.
    template <typename T>
    bool scalar(std::string_view key, T& out, std::string_view expected);

    // Reports "'key' ...: unknown value 'x'; allowed: a, b" at `n`.
    void unknownValue(std::string_view key, const toml::node& n, const std::string& value,
                      const std::vector<std::string_view>& allowed);

    const toml::table& table_;
    std::string context_;
    Diagnostics& diag_;
    std::vector<std::string_view> keys_;
};

}  // namespace dk::config::load
