#include "core/versions/maven_version.h"

#include <cstddef>
#include <cstring>
#include <string>
#include <vector>

#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {
namespace {

// ComparableVersion's item tree: numbers, qualifiers and nested lists (opened by '-' and by a
// switch between digits and letters).
struct Item {
  enum class Kind { number, qualifier, list };
  Kind kind = Kind::list;
  std::string_view digits;  // number without leading zeros; empty is 0
  std::string key;          // qualifier rank: "0".."6" for the known ones, "7-<text>" otherwise
  std::vector<Item> items;

  bool is_null() const {
    switch (kind) {
      case Kind::number:
        return digits.empty();
      case Kind::qualifier:
        return key == kReleaseKey;
      case Kind::list:
        return items.empty();
    }
    return false;
  }

  static constexpr std::string_view kReleaseKey = "5";
};

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::string qualifier_key(std::string_view q, bool followed_by_digit) {
  if (followed_by_digit && q.size() == 1) {
    if (q == "a") q = "alpha";
    if (q == "b") q = "beta";
    if (q == "m") q = "milestone";
  }
  if (q == "ga" || q == "final" || q == "release") q = "";
  if (q == "cr") q = "rc";
  static constexpr std::string_view kKnown[] = {"alpha",    "beta", "milestone", "rc",
                                                "snapshot", "",     "sp"};
  for (std::size_t i = 0; i < std::size(kKnown); ++i)
    if (q == kKnown[i]) return std::string(1, static_cast<char>('0' + i));
  return "7-" + std::string(q);
}

Item number_item(std::string_view d) {
  while (!d.empty() && d.front() == '0') d.remove_prefix(1);
  Item item;
  item.kind = Item::Kind::number;
  item.digits = d;
  return item;
}

Item qualifier_item(std::string_view q, bool followed_by_digit) {
  Item item;
  item.kind = Item::Kind::qualifier;
  item.key = qualifier_key(q, followed_by_digit);
  return item;
}

Item parse_item(bool digit, std::string_view text) {
  return digit ? number_item(text) : qualifier_item(text, false);
}

// Drops trailing null items (0, "", empty lists), looking through non-null trailing sub-lists.
// A sub-list left holding nothing but its own sub-list stands for that sub-list: the trimming is
// "repeated at each remaining hyphen", as the POM reference's version order puts it, so 1-ga-1
// is 1-1 and 1--1 is 1-1.
void normalize(Item& list, bool root) {
  for (std::size_t i = list.items.size(); i-- > 0;) {
    if (list.items[i].is_null())
      list.items.erase(list.items.begin() + static_cast<std::ptrdiff_t>(i));
    else if (list.items[i].kind != Item::Kind::list)
      break;
  }
  if (!root && list.items.size() == 1 && list.items.front().kind == Item::Kind::list) {
    std::vector<Item> inner = std::move(list.items.front().items);
    list.items = std::move(inner);
  }
}

// `lower` is the version in lower case; items keep views into it.
Item parse(std::string_view lower) {
  Item root;
  std::vector<Item*> stack{&root};
  Item* list = &root;
  auto open_list = [&] {
    // Nothing more is appended to the enclosing list, so this pointer stays valid.
    list->items.emplace_back();
    list = &list->items.back();
    stack.push_back(list);
  };
  bool digit = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const char c = lower[i];
    if (c == '.' || c == '-') {
      if (i == start)
        list->items.push_back(number_item({}));
      else
        list->items.push_back(parse_item(digit, lower.substr(start, i - start)));
      start = i + 1;
      if (c == '-') open_list();
    } else if (is_digit(c)) {
      if (!digit && i > start) {
        list->items.push_back(qualifier_item(lower.substr(start, i - start), true));
        start = i;
        open_list();
      }
      digit = true;
    } else {
      if (digit && i > start) {
        list->items.push_back(parse_item(true, lower.substr(start, i - start)));
        start = i;
        open_list();
      }
      digit = false;
    }
  }
  if (lower.size() > start) list->items.push_back(parse_item(digit, lower.substr(start)));
  for (std::size_t i = stack.size(); i-- > 0;) normalize(*stack[i], i == 0);
  return root;
}

int sign(int r) {
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

int compare_strings(std::string_view a, std::string_view b) {
  return sign(a.compare(b));
}

int compare_digits(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return compare_strings(a, b);
}

// ComparableVersion's Item.compareTo; `b == nullptr` is the missing item of a shorter list.
int compare(const Item& a, const Item* b) {
  using K = Item::Kind;
  switch (a.kind) {
    case K::number:
      if (b == nullptr) return a.digits.empty() ? 0 : 1;
      if (b->kind == K::number) return compare_digits(a.digits, b->digits);
      return 1;  // 1.1 > 1-sp and 1.1 > 1-1
    case K::qualifier:
      if (b == nullptr) return compare_strings(a.key, Item::kReleaseKey);
      if (b->kind == K::qualifier) return compare_strings(a.key, b->key);
      return -1;
    case K::list:
      if (b == nullptr) return a.items.empty() ? 0 : compare(a.items.front(), nullptr);
      if (b->kind == K::number) return -1;
      if (b->kind == K::qualifier) return 1;
      for (std::size_t i = 0; i < a.items.size() || i < b->items.size(); ++i) {
        const Item* l = i < a.items.size() ? &a.items[i] : nullptr;
        const Item* r = i < b->items.size() ? &b->items[i] : nullptr;
        int result = l == nullptr ? (r == nullptr ? 0 : -compare(*r, nullptr)) : compare(*l, r);
        if (result != 0) return result;
      }
      return 0;
  }
  return 0;
}

// Nesting grows with every '-' and digit/letter switch; the bound keeps recursion shallow.
constexpr std::size_t kMaxLength = 512;

// Leaves `out` as `v`: the items are built only to compare.
const char* check(std::string_view v, std::string_view& out) {
  if (v.empty()) return "empty version";
  if (v.size() > kMaxLength) return "longer than 512 characters";
  for (unsigned char c : v)
    if (c <= 0x20 || c >= 0x7f) return "not printable ASCII without blanks";
  out = v;
  return nullptr;
}

std::string to_lower(std::string_view v) {
  std::string s(v);
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

int maven_compare(std::string_view a, std::string_view b) {
  const std::string la = to_lower(a), lb = to_lower(b);
  const Item ia = parse(la), ib = parse(lb);
  return versions::compare(ia, &ib);
}

}  // namespace

const VersionScheme& maven_scheme() {
  static const CheckedScheme<std::string_view, check, maven_compare> scheme("maven");
  return scheme;
}

}  // namespace patchparty::versions
