// with_context for a whole Result, so a function that hands on what it called need not unpack
// it to name the file or the step: `return with_context(parse_kev(text, sink), path.string());`.
#pragma once

#include <string_view>
#include <utility>

#include "core/base/result.h"

namespace patchparty {

// A value passes through; an error gets the context (with_context in result.h). The context is
// built before the call, so keep it cheap where the call sits in a loop.
template <class T>
Result<T> with_context(Result<T> r, std::string_view context) {
  if (!r) return tl::make_unexpected(with_context(std::move(r).error(), context));
  return r;
}

}  // namespace patchparty
