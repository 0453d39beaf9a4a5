// Words in the loader's messages: quoting, ASCII case, lists, the TOML type of a
// value, and the close valid name to suggest for a misspelt one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace dk::config::load {

// "'timeout'"
std::string quote(std::string_view s);

// ASCII only: keys, enum values and day names are ASCII.
char lower(char ch);
std::string lower(std::string_view s);

// "Bad scheme" -> "bad scheme": library messages inside our sentences.
std::string lowerFirst(std::string s);

// "a, b, c"
std::string joined(const std::vector<std::string_view>& names);

// The candidate closest to `word`, when it is close enough to be a likely typo
// (one edit for short words, two for words of six letters or more); else "".
std::string closest(std::string_view word, const std::vector<std::string_view>& candidates);

// "a string", "an integer": the TOML type of a node, for "expected X, got Y".
std::string_view kindOf(const toml::node& n);

}  // namespace dk::config::load
