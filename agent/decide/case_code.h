// The case code: a short code that names one incident ("K7M-4QX"). The user reads
// it out over the phone, and IT uses it to find the incident's evidence.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dk {

// The symbols of a case code: digits and capitals without look-alikes (no 0/O,
// no 1/I/L) and without vowels, so that no code spells a word.
inline constexpr std::string_view kCaseCodeAlphabet = "23456789BCDFGHJKMNPQRSTVWXZ";

// Six symbols from `random_bits`, shown as two groups of three: "K7M-4QX".
std::string newCaseCode(std::uint64_t random_bits);
// The same, seeded from std::random_device.
std::string newCaseCode();

// The code as driftkoll writes it ("K7M-4QX") from what a person typed: lower case,
// a missing dash and surrounding spaces are accepted. nullopt when it is not a code.
std::optional<std::string> normaliseCaseCode(std::string_view s);
bool isCaseCode(std::string_view s);

}  // namespace dk
