// The report of one run: JSON for machines (the contract in BRIEF.md: `steps`,
// `checks`, `diagnosis.domain`, `advice.action`) and text for people, grouped by
// the routine's steps 1-5.
#pragma once

#include <string>

#include "agent/check/check.h"
#include "agent/decide/texts.h"
#include "config/model.h"

namespace dk {

// The one-line verdict: "TES svarar inte, men andra system och internet fungerar – det är inte din
// dator."
std::string headline(const Diagnosis& d, const config::Config& cfg, Lang lang);

Json reportJson(const Outcome& o, const config::Config& cfg, Lang lang);
std::string reportText(const Outcome& o, const config::Config& cfg, Lang lang);

// The exit code of `driftkoll check`: 0 all fine, 1 a problem found.
int exitCodeFor(const Diagnosis& d);

}  // namespace dk
