#include "core/versions/osv_range.h"

#include <string>
#include <utility>
#include <vector>

namespace patchparty::versions {
namespace {

bool is_zero_introduced(const RangeEvent& e) {
  return e.kind == RangeEvent::Kind::introduced && e.version == "0";
}

bool is_unbounded_limit(const RangeEvent& e) {
  return e.kind == RangeEvent::Kind::limit && e.version.find('*') != std::string::npos;
}

Error for_package(Error e, std::string_view name) {
  return with_context(std::move(e), "affected package '" + std::string(name) + "'");
}

// Every version a range names must parse, so a typo in a feed is an error, not a silent miss.
[[nodiscard]] Result<void> validate_range(const VersionScheme& scheme, const Range& range) {
  bool has_introduced = false;
  for (const RangeEvent& e : range.events) {
    if (e.kind == RangeEvent::Kind::introduced) has_introduced = true;
    if (is_zero_introduced(e) || is_unbounded_limit(e)) continue;
    PP_CHECK(scheme.validate(e.version));
  }
  if (!has_introduced) return fail(Errc::invalid_argument, "range without an 'introduced' event");
  return {};
}

// a < b for the event order: "introduced": "0" before everything; ties keep the feed's order.
[[nodiscard]] Result<int> compare_events(const VersionScheme& scheme, const RangeEvent& a,
                                         const RangeEvent& b) {
  const bool za = is_zero_introduced(a), zb = is_zero_introduced(b);
  if (za || zb) return za == zb ? 0 : (za ? -1 : 1);
  return scheme.compare(a.version, b.version);
}

[[nodiscard]] Result<bool> in_range(const VersionScheme& scheme, std::string_view version,
                                    const Range& range) {
  bool has_limit = false, below_limit = false;
  for (const RangeEvent& e : range.events) {
    if (e.kind != RangeEvent::Kind::limit) continue;
    has_limit = true;
    if (is_unbounded_limit(e)) {
      below_limit = true;
      continue;
    }
    PP_TRY(c, scheme.compare(version, e.version));
    if (c < 0) below_limit = true;
  }
  if (has_limit && !below_limit) return false;

  std::vector<const RangeEvent*> events;
  events.reserve(range.events.size());
  for (const RangeEvent& e : range.events)
    if (e.kind != RangeEvent::Kind::limit) events.push_back(&e);
  // Insertion sort: stable, well defined with an order that is not transitive (Maven's is not,
  // where std::stable_sort would be undefined behaviour), and ranges hold a few events.
  for (std::size_t i = 1; i < events.size(); ++i) {
    for (std::size_t j = i; j > 0; --j) {
      PP_TRY(c, compare_events(scheme, *events[j - 1], *events[j]));
      if (c <= 0) break;
      std::swap(events[j - 1], events[j]);
    }
  }

  bool vulnerable = false;
  for (const RangeEvent* e : events) {
    if (is_zero_introduced(*e)) {
      vulnerable = true;
      continue;
    }
    PP_TRY(c, scheme.compare(version, e->version));
    switch (e->kind) {
      case RangeEvent::Kind::introduced:
        if (c >= 0) vulnerable = true;
        break;
      case RangeEvent::Kind::fixed:
        if (c >= 0) vulnerable = false;
        break;
      case RangeEvent::Kind::last_affected:
        if (c > 0) vulnerable = false;
        break;
      case RangeEvent::Kind::limit:
        break;
    }
  }
  return vulnerable;
}

}  // namespace

Result<bool> is_affected(const VersionScheme& scheme, std::string_view version,
                         const Affected& affected) {
  if (auto v = scheme.validate(version); !v) return tl::make_unexpected(std::move(v).error());
  for (const Range& range : affected.ranges) {
    if (range.type == Range::Type::git) continue;
    if (auto v = validate_range(scheme, range); !v)
      return tl::make_unexpected(for_package(std::move(v).error(), affected.name));
  }
  for (const std::string& listed : affected.versions) {
    if (auto v = scheme.validate(listed); !v)
      return tl::make_unexpected(for_package(std::move(v).error(), affected.name));
  }

  for (const std::string& listed : affected.versions) {
    PP_TRY(c, scheme.compare(version, listed));
    if (c == 0) return true;
  }
  for (const Range& range : affected.ranges) {
    if (range.type == Range::Type::git) continue;
    PP_TRY(hit, in_range(scheme, version, range));
    if (hit) return true;
  }
  return false;
}

}  // namespace patchparty::versions
