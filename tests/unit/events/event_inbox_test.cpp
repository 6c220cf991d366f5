#include "core/events/event_inbox.h"

#include <gtest/gtest.h>

#include <thread>

namespace patchparty::events {
namespace {

PatchEvent deploy(std::string target) {
  PatchEvent e;
  e.at = 1;
  e.origin = Origin::api;
  e.kind = Kind::deploy;
  e.target = std::move(target);
  e.to_version = "1";
  return e;
}

TEST(EventInbox, HandsEventsOverInOrderAndAnswersEachRequest) {
  EventInbox inbox;
  EXPECT_TRUE(inbox.empty());
  auto a = inbox.push(deploy("a"));
  auto b = inbox.push(deploy("b"));
  EXPECT_FALSE(inbox.empty());
  std::thread worker([&] {
    auto pending = inbox.take();
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].event.target, "a");
    std::int64_t id = 1;
    for (auto& p : pending) {
      p.event.id = id++;
      p.stored.set_value(p.event);
    }
  });
  auto ra = a.get();
  auto rb = b.get();
  worker.join();
  ASSERT_TRUE(ra.has_value());
  ASSERT_TRUE(rb.has_value());
  EXPECT_EQ(ra->id, 1);
  EXPECT_EQ(rb->id, 2);
  EXPECT_TRUE(inbox.empty());
}

TEST(EventInbox, FullInboxRefusesAtOnce) {
  EventInbox inbox(1);
  auto first = inbox.push(deploy("a"));
  auto second = inbox.push(deploy("b"));
  ASSERT_EQ(second.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  auto r = second.get();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::resource_exhausted);
  EXPECT_EQ(first.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
}

TEST(EventInbox, PendingEventsAreAnsweredWhenTheInboxGoesAway) {
  std::future<Result<PatchEvent>> orphan;
  {
    EventInbox inbox;
    orphan = inbox.push(deploy("a"));
  }
  auto r = orphan.get();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::unavailable);
}

}  // namespace
}  // namespace patchparty::events
