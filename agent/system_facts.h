// Facts about this computer that go into the report. Platform code: linux/.
#pragma once

#include <string>

namespace dk {

std::string hostName();
// An identifier that changes at every boot ("" when the platform has none):
// it tells whether the computer has been restarted since a problem began.
std::string bootId();

}  // namespace dk
