// Seeded generators of version pairs biased to the edge cases of dpkg and rpm ordering: epochs,
// '~' and '^', leading zeros, numbers past 64 bits, empty parts between separators, letters
// against digits, mixed separators. Each pair is often a small mutation of one version, so that
// near-equal versions (where comparators disagree) are common. Shared by the differential tests
// and the benchmarks, which must measure the same inputs.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace patchparty::testing {

class PairGenerator {
 public:
  explicit PairGenerator(std::uint64_t seed) : rng_(seed) {}

 protected:
  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
  }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }

  std::string digits(std::size_t n, bool leading_zero_ok) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
      char c = static_cast<char>('0' + below(10));
      if (i == 0 && !leading_zero_ok && c == '0') c = '1';
      s += c;
    }
    return s;
  }

  std::string number() {
    switch (below(10)) {
      case 0:
        return pick(std::vector<std::string>{"0", "00", "000", "01", "007", "0010"});
      case 1:
        return digits(20 + below(21), false);  // past 64 bits
      case 2:
        return pick(std::vector<std::string>{"18446744073709551615", "18446744073709551616",
                                             "9223372036854775807", "9223372036854775808",
                                             "99999999999999999999", "000000000000000000001"});
      case 3:
        return digits(5 + below(10), true);
      default:
        return digits(1 + below(3), chance(0.1));
    }
  }

  std::string letters() {
    return pick(std::vector<std::string>{"a", "b", "z", "A", "Z", "rc", "alpha", "beta", "dfsg",
                                         "ubuntu", "deb", "git", "svn", "el", "fc", "p", "pre"});
  }

  // Replaces one number or letter run of `s` (between `from` and the end) to make a near miss.
  std::string nudge(std::string s, std::size_t from) {
    if (s.size() <= from) return s;
    std::size_t i = from + below(s.size() - from);
    char c = s[i];
    if (c >= '0' && c <= '9')
      s[i] = static_cast<char>(c == '9' ? '0' : c + 1);
    else if ((c >= 'a' && c <= 'y') || (c >= 'A' && c <= 'Y'))
      s[i] = static_cast<char>(c + 1);
    return s;
  }

  // Mostly `a` and a near miss of it that `mutate` makes from a copy, in either order; now and
  // then two unrelated versions. Parts renders itself with render().
  template <class Parts, class Make, class Mutate>
  std::pair<std::string, std::string> near_pair(Make make, Mutate mutate) {
    Parts a = make();
    if (chance(0.3)) return {a.render(), make().render()};
    Parts b = a;
    mutate(b);
    if (chance(0.5)) std::swap(a, b);
    return {a.render(), b.render()};
  }

  std::mt19937_64 rng_;
};

// [epoch:]main[-tail]: the form dpkg and rpm versions share.
inline std::string render_evr(const std::optional<std::string>& epoch, const std::string& main,
                              const std::optional<std::string>& tail) {
  std::string s;
  if (epoch) s += *epoch + ":";
  s += main;
  if (tail) s += "-" + *tail;
  return s;
}

// dpkg: [epoch:]upstream[-revision], valid for `dpkg --compare-versions` (no hard error).
class DpkgPairGenerator : public PairGenerator {
 public:
  using PairGenerator::PairGenerator;

  struct Parts {
    std::optional<std::string> epoch;
    std::string upstream;
    std::optional<std::string> revision;
    std::string render() const { return render_evr(epoch, upstream, revision); }
  };

  Parts parts() {
    Parts p;
    if (chance(0.35))
      p.epoch = pick(std::vector<std::string>{"0", "1", "2", "00", "01", "12", "2147483647",
                                              "0000000002", "9"});
    const bool with_revision = chance(0.6);
    p.upstream = chance(0.92) ? number() : letters();
    for (std::size_t n = below(6); n > 0; --n)
      p.upstream += upstream_piece(p.epoch.has_value(), with_revision);
    if (with_revision) {
      std::string r = chance(0.7) ? number() : letters();
      for (std::size_t n = below(4); n > 0; --n) r += revision_piece();
      p.revision = r;
    }
    return p;
  }

  std::pair<std::string, std::string> pair() {
    return near_pair<Parts>([this] { return parts(); }, [this](Parts& b) { mutate(b); });
  }

 private:
  void mutate(Parts& b) {
    switch (below(9)) {
      case 0:
        break;  // identical
      case 1:
        b.upstream += pick(std::vector<std::string>{"~", "~~", "~rc1", "+b1", ".0", "a", "."});
        break;
      case 2:
        b.upstream = nudge(b.upstream, 0);
        break;
      case 3:
        if (b.revision)
          b.revision = nudge(*b.revision, 0);
        else
          b.revision = pick(std::vector<std::string>{"0", "00", "1", "~", "0~1"});
        break;
      case 4:
        // Without an epoch, a ':' in the upstream part would be read as one.
        if (!b.epoch)
          b.epoch = "0";
        else if (b.upstream.find(':') == std::string::npos)
          b.epoch.reset();
        break;
      case 5:
        b.upstream = "0" + b.upstream;
        break;
      case 6:
        b.revision = b.revision ? std::optional<std::string>(*b.revision + "~") : std::nullopt;
        break;
      case 7:
        b.upstream = b.upstream.substr(0, 1 + below(b.upstream.size()));
        if (b.upstream.back() == ':' || b.upstream.back() == '-') b.upstream.pop_back();
        if (b.upstream.empty()) b.upstream = "0";
        break;
      default:
        // dpkg refuses epochs past INT_MAX, so the longest ones are not nudged.
        b.epoch = b.epoch && b.epoch->size() < 10 ? nudge(*b.epoch, 0) : std::string("1");
        break;
    }
  }

  std::string upstream_piece(bool epoch, bool revision) {
    switch (below(8)) {
      case 0:
      case 1:
        return number();
      case 2:
        return letters();
      case 3:
        return pick(std::vector<std::string>{".", ".", "+", "~", "~~", "..", ".~", "+~", "~."});
      case 4:
        return "." + number();
      case 5:
        if (epoch && chance(0.5))
          return ":";  // dpkg allows ':' in the upstream part after an epoch
        return "~" + letters();
      case 6:
        if (revision && chance(0.5)) return "-";  // only the last '-' splits off the revision
        return "+" + letters();
      default:
        return letters() + number();
    }
  }

  std::string revision_piece() {
    switch (below(5)) {
      case 0:
        return number();
      case 1:
        return letters();
      case 2:
        return pick(std::vector<std::string>{".", "+", "~", "..", "~~"});
      case 3:
        return "." + number();
      default:
        return "~" + letters() + number();
    }
  }
};

// rpm: [epoch:]version[-release] in any mix of runs and separators rpm knows, '~' and '^'.
class RpmPairGenerator : public PairGenerator {
 public:
  using PairGenerator::PairGenerator;

  struct Parts {
    std::optional<std::string> epoch;
    std::string version;
    std::optional<std::string> release;
    std::string render() const { return render_evr(epoch, version, release); }
  };

  Parts parts() {
    Parts p;
    if (chance(0.35))
      p.epoch = pick(std::vector<std::string>{"0", "1", "2", "00", "01", "10", "", number()});
    p.version = chance(0.85) ? number() : letters();
    for (std::size_t n = below(6); n > 0; --n) p.version += piece();
    if (chance(0.6)) {
      std::string r;
      if (!chance(0.05)) {  // sometimes an empty release: "1.0-"
        r = chance(0.7) ? number() : letters();
        for (std::size_t n = below(4); n > 0; --n) r += piece();
      }
      p.release = r;
    }
    return p;
  }

  std::pair<std::string, std::string> pair() {
    return near_pair<Parts>([this] { return parts(); }, [this](Parts& b) { mutate(b); });
  }

 private:
  void mutate(Parts& b) {
    switch (below(9)) {
      case 0:
        break;
      case 1:
        b.version +=
            pick(std::vector<std::string>{"~", "^", "~~", "^^", "~rc1", "^git1", ".0", "a", "."});
        break;
      case 2:
        b.version = nudge(b.version, 0);
        break;
      case 3:
        if (b.release)
          b.release = nudge(*b.release, 0);
        else
          b.release = pick(std::vector<std::string>{"", "0", "1", "~", "^"});
        break;
      case 4:
        b.epoch = b.epoch ? std::nullopt : std::optional<std::string>("0");
        break;
      case 5:
        b.version = "0" + b.version;
        break;
      case 6:
        b.release = b.release ? std::nullopt : std::optional<std::string>("");
        break;
      case 7:
        b.version = b.version.substr(0, 1 + below(b.version.size()));
        break;
      default:
        b.version = pick(std::vector<std::string>{".", "_", "+", "%"}) + b.version;
        break;
    }
  }

  std::string piece() {
    switch (below(8)) {
      case 0:
      case 1:
        return number();
      case 2:
        return letters();
      case 3:
        return pick(std::vector<std::string>{".", "_", "+", "%", "..", "._", "{", "}", "~", "^",
                                             "~~", "^^", "~^", "^~", ".~", "^.", ":", "-"});
      case 4:
        return "." + number();
      case 5:
        return "~" + letters();
      case 6:
        return "^" + pick(std::vector<std::string>{"git", "post", "1", "20240101"});
      default:
        return letters() + number();
    }
  }
};

}  // namespace patchparty::testing
