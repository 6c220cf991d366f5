#include "core/store/advisory_tables.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/store/store.h"
#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

namespace fs = std::filesystem;

class AdvisoryTablesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("pp-advisory-tables-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto s = Store::open(dir_);
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  Database& db() { return store_->database(); }

  fs::path dir_;
  std::optional<Store> store_;
};

Advisory advisory(std::string id, std::vector<std::pair<std::string, std::string>> packages,
                  std::vector<std::string> aliases = {}) {
  Advisory a;
  a.id = std::move(id);
  a.modified = "2024-01-01T00:00:00Z";
  a.aliases = std::move(aliases);
  for (auto& [eco, name] : packages) {
    Affected& af = a.affected.emplace_back();
    af.ecosystem = eco;
    af.name = name;
  }
  return a;
}

std::string json_of(const Advisory& a) {
  return "{\"id\": \"" + a.id + "\"}";
}

Result<> load(Database& db, std::string feed, const std::vector<Advisory>& advisories) {
  PP_TRY(r, FeedRefresh::begin(db, std::move(feed), "osv"));
  for (const auto& a : advisories) PP_CHECK(r.add_advisory(a, json_of(a)));
  return r.commit(RefreshOutcome{});
}

TEST_F(AdvisoryTablesTest, RecordsAreFoundByBaseEcosystemAndNameInInsertOrder) {
  ASSERT_OK(load(db(), "osv",
                 {advisory("A-1", {{"Debian:12", "openssl"}, {"Debian:11", "openssl"}}),
                  advisory("A-2", {{"npm", "left-pad"}}),
                  advisory("A-3", {{"Debian", "openssl"}, {"Debian:12", "curl"}}),
                  advisory("A-4", {{"", ""}})}));
  auto openssl = advisory_records(db(), "Debian", "openssl");
  ASSERT_OK(openssl);
  // Two releases of one package still give the record once.
  EXPECT_EQ(*openssl, (std::vector<std::string>{"{\"id\": \"A-1\"}", "{\"id\": \"A-3\"}"}));
  auto curl = advisory_records(db(), "Debian", "curl");
  ASSERT_OK(curl);
  EXPECT_EQ(*curl, std::vector<std::string>{"{\"id\": \"A-3\"}"});
  auto none = advisory_records(db(), "Debian:12", "openssl");
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(advisory_count(db()).value_or(-1), 4);
  EXPECT_EQ(advisory_count(db(), "osv").value_or(-1), 4);
}

TEST_F(AdvisoryTablesTest, AliasPairsSkipTheOwnIdAndKeepOddBytes) {
  ASSERT_OK(load(
      db(), "osv",
      {advisory("GHSA-1", {{"npm", "a"}}, {"CVE-2024-1", "GHSA-1", "line\nbreak \"q\""}),
       advisory("GHSA-2", {{"npm", "b"}}), advisory("GHSA-3", {{"npm", "c"}}, {"CVE-2024-3"})}));
  auto pairs = alias_pairs(db());
  ASSERT_OK(pairs);
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(*pairs, (std::vector<P>{P{"GHSA-1", "CVE-2024-1"}, P{"GHSA-1", "line\nbreak \"q\""},
                                    P{"GHSA-3", "CVE-2024-3"}}));
}

TEST_F(AdvisoryTablesTest, RefreshReplacesOnlyThatFeedsRows) {
  ASSERT_OK(load(db(), "one", {advisory("O-1", {{"npm", "x"}}, {"CVE-1"})}));
  ASSERT_OK(load(db(), "two", {advisory("T-1", {{"npm", "x"}}, {"CVE-2"})}));
  ASSERT_OK(load(db(), "one", {advisory("O-2", {{"npm", "y"}}, {"CVE-3"})}));
  auto x = advisory_records(db(), "npm", "x");
  ASSERT_OK(x);
  EXPECT_EQ(*x, std::vector<std::string>{"{\"id\": \"T-1\"}"});
  auto y = advisory_records(db(), "npm", "y");
  ASSERT_OK(y);
  EXPECT_EQ(*y, std::vector<std::string>{"{\"id\": \"O-2\"}"});
  auto pairs = alias_pairs(db());
  ASSERT_OK(pairs);
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(*pairs, (std::vector<P>{P{"T-1", "CVE-2"}, P{"O-2", "CVE-3"}}));
  EXPECT_EQ(advisory_count(db(), "one").value_or(-1), 1);
  EXPECT_EQ(advisory_count(db(), "two").value_or(-1), 1);
}

TEST_F(AdvisoryTablesTest, RefreshWithoutCommitKeepsTheLastGoodRows) {
  ASSERT_OK(load(db(), "osv", {advisory("A-1", {{"npm", "x"}}, {"CVE-1"})}));
  {
    auto r = FeedRefresh::begin(db(), "osv", "osv");
    ASSERT_OK(r);
    for (int i = 0; i < 300; ++i) {
      auto a = advisory("B-" + std::to_string(i), {{"npm", "x"}}, {"CVE-9"});
      ASSERT_OK(r->add_advisory(a, json_of(a)));
    }
  }  // dropped: rolled back
  auto x = advisory_records(db(), "npm", "x");
  ASSERT_OK(x);
  EXPECT_EQ(*x, std::vector<std::string>{"{\"id\": \"A-1\"}"});
  auto pairs = alias_pairs(db());
  ASSERT_OK(pairs);
  EXPECT_EQ(pairs->size(), 1u);
  EXPECT_EQ(advisory_count(db(), "osv").value_or(-1), 1);
}

TEST_F(AdvisoryTablesTest, ALargeRefreshReplacesEverythingInOneTransaction) {
  std::vector<Advisory> first, second;
  for (int i = 0; i < 3000; ++i) {
    first.push_back(advisory("F-" + std::to_string(i), {{"npm", "p" + std::to_string(i % 50)}},
                             {"CVE-F-" + std::to_string(i)}));
    second.push_back(advisory("S-" + std::to_string(i), {{"npm", "p" + std::to_string(i % 70)}}));
  }
  ASSERT_OK(load(db(), "small", {advisory("K-1", {{"npm", "p1"}})}));
  ASSERT_OK(load(db(), "osv", first));
  ASSERT_OK(load(db(), "osv", second));
  auto p1 = advisory_records(db(), "npm", "p1");
  ASSERT_OK(p1);
  auto naming = [](int p) {  // how many of the second load name package p<p>
    std::size_t n = 0;
    for (int i = 0; i < 3000; ++i) n += i % 70 == p;
    return n;
  };
  ASSERT_EQ(p1->size(), 1 + naming(1));
  EXPECT_EQ(p1->front(), "{\"id\": \"K-1\"}");
  EXPECT_EQ((*p1)[1], "{\"id\": \"S-1\"}");
  auto p60 = advisory_records(db(), "npm", "p60");
  ASSERT_OK(p60);
  EXPECT_EQ(p60->size(), naming(60));
  auto pairs = alias_pairs(db());
  ASSERT_OK(pairs);
  EXPECT_TRUE(pairs->empty());
  EXPECT_EQ(advisory_count(db()).value_or(-1), 3001);
}

}  // namespace
}  // namespace patchparty::store
