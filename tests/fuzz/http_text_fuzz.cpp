// libFuzzer entry point: the pure half of the HTTP probe's answer handling
// (probes/http_probe.h), how a page is prepared for the maintenance and expected
// texts: bodyAsUtf8() by the Content-Type's charset, then foldCase(). Neither may
// crash or read outside its input, and:
//   - foldCase keeps the length, folds only ASCII and Latin-1 capitals, and
//     folding twice changes nothing;
//   - a page declared Latin-1 comes out as valid UTF-8, one or two bytes per byte;
//     any other page comes out unchanged;
//   - a text that occurs in a valid UTF-8 page is found by the folded search.
// The input is split into Content-Type, text and page. Seed corpus:
// tests/fuzz/corpus/http_text_fuzz.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "probes/http_probe.h"

namespace {

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "http_text_fuzz: %s\n", what);
    std::abort();
}

bool validUtf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        char32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + n >= s.size())
            return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += n + 1;
    }
    return true;
}

void checkFold(const std::string& text) {
    const std::string folded = dk::foldCase(text);
    if (folded.size() != text.size())
        fail("foldCase changed the length");
    if (dk::foldCase(folded) != folded)
        fail("foldCase is not idempotent");
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto a = static_cast<unsigned char>(text[i]);
        const auto b = static_cast<unsigned char>(folded[i]);
        if (a == b)
            continue;
        const bool ascii_capital = a >= 'A' && a <= 'Z' && b == a + 32;
        const bool latin1_capital = i > 0 && static_cast<unsigned char>(text[i - 1]) == 0xC3 &&
                                    a >= 0x80 && a <= 0x9E && a != 0x97 && b == a + 32;
        if (!ascii_capital && !latin1_capital)
            fail("foldCase changed a byte that is not a capital");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider in(data, size);
    const std::string content_type = in.ConsumeRandomLengthString(128);
    const std::string text = in.ConsumeRandomLengthString(64);
    const std::string body = in.ConsumeRemainingBytesAsString();

    checkFold(text);
    checkFold(body);

    std::size_t high = 0;
    for (const char c : body) high += static_cast<unsigned char>(c) >= 0x80 ? 1 : 0;
    const std::string page = dk::bodyAsUtf8(body, content_type);
    if (page != body) {
        if (page.size() != body.size() + high)
            fail("a Latin-1 page converted to the wrong length");
        if (!validUtf8(page))
            fail("a Latin-1 page converted to invalid UTF-8");
    }
    if (dk::bodyAsUtf8(body, "text/html; charset=ISO-8859-1").size() != body.size() + high)
        fail("a page declared ISO-8859-1 was not converted");
    if (dk::bodyAsUtf8(body, "text/html; charset=utf-8") != body)
        fail("a page declared UTF-8 was changed");

    checkFold(page);
    if (!text.empty() && validUtf8(text) && validUtf8(page) &&
        page.find(text) != std::string::npos &&
        dk::foldCase(page).find(dk::foldCase(text)) == std::string::npos)
        fail("a text on the page is not found by the folded search");
    return 0;
}
