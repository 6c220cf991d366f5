// Deploy events on their way from the HTTP threads to the worker thread, which alone may write
// the store. A request thread push()es a validated event and waits on the future for the stored
// one (with its id); the worker take()s what is pending between jobs, records it and answers
// each promise.
#pragma once

#include <cstddef>
#include <future>
#include <mutex>
#include <vector>

#include "core/base/result.h"
#include "core/events/patch_event.h"

namespace patchparty::events {

struct PendingEvent {
  PatchEvent event;
  std::promise<Result<PatchEvent>> stored;
};

class EventInbox {
 public:
  static constexpr std::size_t kDefaultCapacity = 1000;

  explicit EventInbox(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  // Whatever is still pending is answered unavailable, so no request waits on a dead promise.
  ~EventInbox();
  EventInbox(const EventInbox&) = delete;
  EventInbox& operator=(const EventInbox&) = delete;

  // Thread-safe. The future holds resource_exhausted at once when `capacity` events are already
  // waiting: a deploy tool in a loop must not grow the daemon without bound.
  std::future<Result<PatchEvent>> push(PatchEvent event);
  // Thread-safe: everything pending, oldest first.
  std::vector<PendingEvent> take();
  bool empty() const;

 private:
  mutable std::mutex mu_;
  std::vector<PendingEvent> pending_;
  std::size_t capacity_;
};

}  // namespace patchparty::events
