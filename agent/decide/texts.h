// Everything driftkoll says to people, in Swedish (the default) and English.
// Short, calm words that a care worker understands at 02:00 without IT terms;
// the precise technical error stays in the evidence for IT.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "probes/result.h"

namespace dk {

enum class Lang { sv, en };

std::optional<Lang> parseLang(std::string_view s);

// The language of the user's locale (LC_ALL, else LC_MESSAGES, else LANG, as
// POSIX orders them): English for "en…", else Swedish.
Lang localeLang();

// Picks the text for `lang`.
inline const char* tr(Lang lang, const char* sv, const char* en) {
    return lang == Lang::sv ? sv : en;
}

// The routine's steps 1-5, as the paper routine names them.
std::string stepTitle(int step, Lang lang);

// What a check looked at: "Nätverkskabel / länk", "Namnuppslagning (DNS) för x".
std::string checkLabel(std::string_view kind, std::string_view target_name, Lang lang);

// One short phrase for a problem code: "ingen kabel eller Wi-Fi-anslutning".
std::string problemText(Problem p, Lang lang);

// "OK", "VARNING", "FEL", "EJ KÖRD" / "OK", "WARNING", "FAILED", "NOT RUN".
std::string statusWord(Status s, Lang lang);

}  // namespace dk
