// The feed kinds as register_builtin_feeds() adds them: one call puts each in config/'s catalog
// and gives make_feed its reader.
#include "collectors/feeds/feed_kind.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/feeds/osv_source.h"
#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

class FeedKinds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { register_builtin_feeds(); }
};

config::FeedConfig feed_config(std::string kind) {
  config::FeedConfig c;
  c.name = kind + "-test";
  c.kind = std::move(kind);
  c.url = "file:///nonexistent";
  return c;
}

TEST_F(FeedKinds, EveryKindConfigAcceptsHasAReader) {
  ASSERT_FALSE(config::feed_kinds().names().empty());
  for (const auto& kind : config::feed_kinds().names()) {
    EXPECT_NE(find_feed_reader(kind), nullptr) << kind;
    auto f = make_feed(feed_config(kind));
    ASSERT_OK(f);
    EXPECT_EQ((*f)->kind(), kind);
  }
}

TEST_F(FeedKinds, RegisteringTwiceAddsTheListOnce) {
  const auto before = config::feed_kinds().names();
  register_builtin_feeds();
  EXPECT_EQ(config::feed_kinds().names(), before);
}

TEST_F(FeedKinds, AnUnknownKindHasNoReader) {
  auto f = make_feed(feed_config("rss"));
  EXPECT_ERRC(f, Errc::invalid_argument);
  EXPECT_EQ(f.error().message, "feed rss-test: kind 'rss' has no reader");
}

TEST(FeedKindsDeathTest, ADuplicateKindAborts) {
  register_builtin_feeds();
  EXPECT_DEATH(add_feed_kind(osv_feed_kind()), "feed kind 'osv' registered twice");
}

}  // namespace
}  // namespace patchparty::feeds
