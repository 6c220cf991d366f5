// What the readers promise their callers, as the fuzz harnesses check it: the strings they hand
// on reach metric labels, file names and command lines, and their record counts are exact.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>

#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::fuzz {

// No space, control byte or DEL; empty passes. `char` is signed where the harnesses run
// (x86-64), so bytes above 0x7f fail too: package fields are ASCII.
inline bool ascii_word(std::string_view s) {
  for (char c : s)
    if (c <= ' ' || c == 0x7f) return false;
  return true;
}

// Not empty, no space, control byte or DEL; bytes above 0x7f (UTF-8) pass.
inline bool word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  return true;
}

// One package of a Debian advisory: introduced at "0", then a fixed version exactly when the
// package is fixed.
inline bool debian_affected_ok(const Affected& af) {
  if (!std::string_view(af.ecosystem).starts_with("Debian:") || !word(af.name)) return false;
  if (af.ranges.size() != 1) return false;
  const auto& ev = af.ranges[0].events;
  if (ev.empty() || ev[0].kind != RangeEvent::Kind::introduced || ev[0].version != "0")
    return false;
  const bool fixed = af.fix_status == FixStatus::fixed;
  if (ev.size() != (fixed ? 2u : 1u)) return false;
  return !fixed || (ev[1].kind == RangeEvent::Kind::fixed && word(ev[1].version));
}

// `parse(sink)` with a sink that passes every advisory to `check`; aborts unless a reader that
// succeeds counts exactly the records it emitted. The reader's result and that number.
template <class Parse, class Check>
auto parse_checked(Parse&& parse, Check&& check) {
  std::uint64_t emitted = 0;
  auto result = parse([&](Advisory&& a) -> Result<> {
    check(a);
    ++emitted;
    return {};
  });
  if (result && result->records != emitted) std::abort();
  return std::pair{std::move(result), emitted};
}

}  // namespace patchparty::fuzz
