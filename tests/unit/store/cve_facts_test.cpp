// The KEV and EPSS rows of one CVE, as a feed refresh stores them and both readers read them.
#include "core/store/cve_facts.h"

#include <gtest/gtest.h>

#include <optional>

#include "core/store/advisory_lookup.h"
#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

class CveFacts : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("state");
    auto s = Store::open(dir_);
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
    KevEntry k{"CVE-2024-1", "Acme",       "Widget", "Widget RCE",
               "2024-01-02", "2024-01-23", true,     "Apply updates."};
    auto kev = FeedRefresh::begin(db(), "kev", "kev");
    ASSERT_OK(kev);
    ASSERT_OK(kev->add_kev(k));
    ASSERT_OK(kev->commit(RefreshOutcome{}));
    auto epss = FeedRefresh::begin(db(), "epss", "epss");
    ASSERT_OK(epss);
    ASSERT_OK(epss->add_epss(EpssScore{"CVE-2024-1", 0.25, 0.875, "2024-02-01"}));
    ASSERT_OK(epss->commit(RefreshOutcome{}));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Database& db() { return store_->database(); }

  std::filesystem::path dir_;
  std::optional<Store> store_;
};

TEST_F(CveFacts, ReadsEveryKevColumn) {
  auto st = db().prepare(kKevByCve);
  ASSERT_OK(st);
  auto e = query_kev(*st, "CVE-2024-1");
  ASSERT_OK(e);
  ASSERT_TRUE(e->has_value());
  const KevEntry& k = **e;
  EXPECT_EQ(k.cve, "CVE-2024-1");
  EXPECT_EQ(k.vendor, "Acme");
  EXPECT_EQ(k.product, "Widget");
  EXPECT_EQ(k.name, "Widget RCE");
  EXPECT_EQ(k.date_added, "2024-01-02");
  EXPECT_EQ(k.due_date, "2024-01-23");
  EXPECT_TRUE(k.known_ransomware);
  EXPECT_EQ(k.required_action, "Apply updates.");
}

TEST_F(CveFacts, ReadsEveryEpssColumn) {
  auto st = db().prepare(kEpssByCve);
  ASSERT_OK(st);
  auto s = query_epss(*st, "CVE-2024-1");
  ASSERT_OK(s);
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->cve, "CVE-2024-1");
  EXPECT_DOUBLE_EQ((*s)->probability, 0.25);
  EXPECT_DOUBLE_EQ((*s)->percentile, 0.875);
  EXPECT_EQ((*s)->date, "2024-02-01");
}

TEST_F(CveFacts, AnUnlistedCveIsNoRow) {
  auto kev = db().prepare(kKevByCve);
  ASSERT_OK(kev);
  auto e = query_kev(*kev, "CVE-2024-2");
  ASSERT_OK(e);
  EXPECT_FALSE(e->has_value());
  auto epss = db().prepare(kEpssByCve);
  ASSERT_OK(epss);
  auto s = query_epss(*epss, "CVE-2024-2");
  ASSERT_OK(s);
  EXPECT_FALSE(s->has_value());
}

TEST_F(CveFacts, BothReadersAgree) {
  auto lookup = AdvisoryLookup::prepare(db());
  ASSERT_OK(lookup);
  for (const char* cve : {"CVE-2024-1", "CVE-2024-2"}) {
    auto once = kev_entry(db(), cve);
    auto prepared = lookup->kev(cve);
    ASSERT_OK(once);
    ASSERT_OK(prepared);
    ASSERT_EQ(once->has_value(), prepared->has_value()) << cve;
    if (once->has_value()) {
      EXPECT_EQ((*once)->required_action, (*prepared)->required_action);
    }
    auto score = epss_score(db(), cve);
    auto prepared_score = lookup->epss(cve);
    ASSERT_OK(score);
    ASSERT_OK(prepared_score);
    ASSERT_EQ(score->has_value(), prepared_score->has_value()) << cve;
    if (score->has_value()) {
      EXPECT_EQ((*score)->percentile, (*prepared_score)->percentile);
    }
  }
}

}  // namespace
}  // namespace patchparty::store
