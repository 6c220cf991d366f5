#include "core/events/event_inbox.h"

namespace patchparty::events {

EventInbox::~EventInbox() {
  for (auto& p : take())
    p.stored.set_value(fail(Errc::unavailable, "the daemon stopped before recording the event"));
}

std::future<Result<PatchEvent>> EventInbox::push(PatchEvent event) {
  PendingEvent p{std::move(event), {}};
  auto future = p.stored.get_future();
  std::lock_guard lock(mu_);
  if (pending_.size() >= capacity_) {
    p.stored.set_value(
        fail(Errc::resource_exhausted,
             std::to_string(capacity_) + " events are already waiting to be stored"));
    return future;
  }
  pending_.push_back(std::move(p));
  return future;
}

std::vector<PendingEvent> EventInbox::take() {
  std::lock_guard lock(mu_);
  return std::exchange(pending_, {});
}

bool EventInbox::empty() const {
  std::lock_guard lock(mu_);
  return pending_.empty();
}

}  // namespace patchparty::events
