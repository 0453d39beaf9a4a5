#include "agent/decide/case_code.h"

#include <random>

namespace dk {

namespace {

constexpr std::size_t kSymbols = 6;
constexpr std::size_t kGroup = 3;  // the dash goes after this many symbols

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char upper(char c) {
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

std::string newCaseCode(std::uint64_t random_bits) {
    // 27^6 (about 387 million) codes; 64 bits are far more than enough, and the
    // remainders of successive divisions are as even as the bits are.
    std::string code;
    for (std::size_t i = 0; i < kSymbols; ++i) {
        if (i == kGroup)
            code += '-';
        code += kCaseCodeAlphabet[random_bits % kCaseCodeAlphabet.size()];
        random_bits /= kCaseCodeAlphabet.size();
    }
    return code;
}

std::string newCaseCode() {
    std::random_device rd;
    const std::uint64_t high = rd();
    const std::uint64_t low = rd();
    return newCaseCode(high << 32 | low);
}

std::optional<std::string> normaliseCaseCode(std::string_view s) {
    while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
    while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
    const bool dashed = s.size() == kSymbols + 1 && s[kGroup] == '-';
    std::string code;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (dashed && i == kGroup)
            continue;
        const char c = upper(s[i]);
        if (kCaseCodeAlphabet.find(c) == std::string_view::npos)
            return std::nullopt;
        code += c;
    }
    if (code.size() != kSymbols)
        return std::nullopt;
    code.insert(kGroup, 1, '-');
    return code;
}

bool isCaseCode(std::string_view s) {
    return normaliseCaseCode(s).has_value();
}

}  // namespace dk
