// Reading values out of a report without throwing: a missing key or a value of
// another type gives nullptr, "" or 0.
#pragma once

#include <initializer_list>
#include <string>

#include "probes/result.h"

namespace dk {

// The value at the path `keys` in `j`; nullptr when it is not there.
inline const Json* jsonAt(const Json& j, std::initializer_list<const char*> keys) {
    const Json* cur = &j;
    for (const char* key : keys) {
        if (!cur->is_object())
            return nullptr;
        auto it = cur->find(key);
        if (it == cur->end())
            return nullptr;
        cur = &*it;
    }
    return cur;
}

inline std::string stringAt(const Json& j, std::initializer_list<const char*> keys) {
    const Json* v = jsonAt(j, keys);
    return v && v->is_string() ? v->get<std::string>() : std::string();
}

inline double numberAt(const Json& j, std::initializer_list<const char*> keys) {
    const Json* v = jsonAt(j, keys);
    return v && v->is_number() ? v->get<double>() : 0.0;
}

}  // namespace dk
