#include "core/store/event_tables.h"

#include <gtest/gtest.h>

#include "core/store/store.h"
#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

using events::Kind;
using events::Origin;
using events::PatchEvent;

PatchEvent event(std::string target, std::int64_t at, Origin origin = Origin::dpkg_log) {
  PatchEvent e;
  e.at = at;
  e.origin = origin;
  e.kind = Kind::upgrade;
  e.target = std::move(target);
  e.arch = "amd64";
  e.ecosystem = "Debian:12";
  e.from_version = "1.0-1";
  e.to_version = "1.0-2";
  return e;
}

class EventTables : public ::testing::Test {
 protected:
  std::filesystem::path dir_ = testing::temp_dir("events");
  Result<Store> store_ = Store::open(dir_);
};

TEST_F(EventTables, RecordListAndGetRoundTrip) {
  ASSERT_TRUE(store_.has_value()) << store_.error().to_string();
  auto& db = store_->database();
  auto a = record_event(db, event("libssl3", 100), 500);
  ASSERT_TRUE(a.has_value()) << a.error().to_string();
  EXPECT_GT(a->id, 0);
  PatchEvent d;
  d.at = 200;
  d.origin = Origin::cli;
  d.kind = Kind::deploy;
  d.target = "shop";
  d.from_version = "2.4.0";
  d.to_version = "2.4.1";
  d.note = "argocd abc123";
  auto b = record_event(db, d, 500);
  ASSERT_TRUE(b.has_value()) << b.error().to_string();
  EXPECT_GT(b->id, a->id);

  auto all = list_events(db);
  ASSERT_TRUE(all.has_value()) << all.error().to_string();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], *b) << "newest first";
  EXPECT_EQ((*all)[1], *a);
  auto since = list_events(db, {.since = 150});
  ASSERT_TRUE(since.has_value());
  ASSERT_EQ(since->size(), 1u);
  EXPECT_EQ((*since)[0].target, "shop");
  auto limited = list_events(db, {.since = 0, .limit = 1});
  ASSERT_TRUE(limited.has_value());
  EXPECT_EQ(limited->size(), 1u);

  auto by_id = event_by_id(db, a->id);
  ASSERT_TRUE(by_id.has_value());
  EXPECT_EQ(*by_id, *a);
  auto missing = event_by_id(db, 999);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::not_found);

  // A reader in another connection (the CLI) sees the same.
  auto reader = Store::open_read_only(dir_);
  ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
  auto read = list_events(reader->database());
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, *all);
}

TEST_F(EventTables, InvalidEventInABatchStoresNone) {
  ASSERT_TRUE(store_.has_value());
  auto& db = store_->database();
  auto bad = event("bad", 100);
  bad.target = "a\tb";
  events::LogCursor cursor{"/var/log/dpkg.log", 42, 1000, 7};
  auto r = record_events(db, {event("good", 100), bad}, 500, cursor);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_TRUE(list_events(db).value_or(std::vector<PatchEvent>{{}}).empty());
  auto c = load_log_cursor(db, "/var/log/dpkg.log");
  ASSERT_TRUE(c.has_value());
  EXPECT_FALSE(c->has_value()) << "the cursor moves only with its events";
}

TEST_F(EventTables, CursorRoundTripsIncludingHighBits) {
  ASSERT_TRUE(store_.has_value());
  auto& db = store_->database();
  events::LogCursor c{"/var/log/dpkg.log", 0xfedcba9876543210ull, 123456, 0x8000000000000001ull};
  auto r = record_events(db, {event("libssl3", 100)}, 500, c);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  auto back = load_log_cursor(db, c.path);
  ASSERT_TRUE(back.has_value());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ(**back, c);
  c.offset = 200000;
  ASSERT_TRUE(save_log_cursor(db, c, 600).has_value());
  EXPECT_EQ(load_log_cursor(db, c.path).value_or(std::nullopt).value_or(events::LogCursor{}), c);
}

TEST_F(EventTables, SeenInDpkgLog) {
  ASSERT_TRUE(store_.has_value());
  auto& db = store_->database();
  ASSERT_TRUE(record_event(db, event("libssl3", 1000), 1000).has_value());
  ASSERT_TRUE(record_event(db, event("curl", 1000, Origin::inventory), 1000).has_value());
  EXPECT_TRUE(seen_in_dpkg_log(db, "libssl3", "amd64", "1.0-2", 900).value_or(false));
  EXPECT_FALSE(seen_in_dpkg_log(db, "libssl3", "amd64", "1.0-2", 1001).value_or(true));
  EXPECT_FALSE(seen_in_dpkg_log(db, "libssl3", "i386", "1.0-2", 900).value_or(true));
  EXPECT_FALSE(seen_in_dpkg_log(db, "libssl3", "amd64", "1.0-3", 900).value_or(true));
  EXPECT_FALSE(seen_in_dpkg_log(db, "curl", "amd64", "1.0-2", 900).value_or(true))
      << "only dpkg.log events count";
}

}  // namespace
}  // namespace patchparty::store
