#include "daemon/rollback/unit_rollback.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

#include "core/base/c_handles.h"
#include "core/base/duration.h"
#include "core/base/one_line.h"
#include "daemon/rollback/job_wait.h"

namespace patchparty::rollback {

namespace {

constexpr const char* kSystemd = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
// sd_bus_wait slices: a stop request is noticed within this.
constexpr auto kSlice = std::chrono::milliseconds(200);

std::string error_text(const sd_bus_error* e) {
  if (!e || !e->name) return "unknown error";
  std::string text = e->name;
  if (e->message && *e->message) text += std::string(": ") + e->message;
  return text;
}

int on_job_removed(sd_bus_message* m, void* userdata, sd_bus_error*) noexcept {
  std::uint32_t id = 0;
  const char* path = nullptr;
  const char* unit = nullptr;
  const char* result = nullptr;
  if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0) return 0;
  try {
    static_cast<JobWait*>(userdata)->removed(path, result);
  } catch (const std::exception&) {
    return -ENOMEM;
  }
  return 0;
}

// Subscribe's reply: only an error matters, since without it JobRemoved may never come.
int on_subscribed(sd_bus_message* m, void* userdata, sd_bus_error*) noexcept {
  if (!sd_bus_message_is_method_error(m, nullptr)) return 0;
  try {
    auto* w = static_cast<JobWait*>(userdata);
    if (!w->call_error) w->call_error = "Subscribe: " + error_text(sd_bus_message_get_error(m));
  } catch (const std::exception&) {
    return -ENOMEM;
  }
  return 0;
}

int on_started(sd_bus_message* m, void* userdata, sd_bus_error*) noexcept {
  try {
    auto* w = static_cast<JobWait*>(userdata);
    if (sd_bus_message_is_method_error(m, nullptr)) {
      if (!w->call_error) w->call_error = "StartUnit: " + error_text(sd_bus_message_get_error(m));
      return 0;
    }
    const char* path = nullptr;
    int r = sd_bus_message_read(m, "o", &path);
    if (r < 0) {
      w->call_error = std::string("StartUnit reply: ") + std::strerror(-r);
      return 0;
    }
    w->started(path);
  } catch (const std::exception&) {
    return -ENOMEM;
  }
  return 0;
}

// Sends a Manager method call whose reply goes to `callback`; the slot owns the pending call.
int call_async(sd_bus* bus, BusSlot& slot, const char* method, sd_bus_message_handler_t callback,
               JobWait* wait, std::chrono::microseconds timeout, const char* unit = nullptr) {
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus, &raw, kSystemd, kManagerPath, kManager, method);
  BusMessage call(raw);
  if (r < 0) return r;
  if (unit) {
    r = sd_bus_message_append(call.get(), "ss", unit, "replace");
    if (r < 0) return r;
  }
  sd_bus_slot* raw_slot = nullptr;
  r = sd_bus_call_async(bus, &raw_slot, call.get(), callback, wait,
                        static_cast<std::uint64_t>(timeout.count()));
  slot.reset(raw_slot);
  return r;
}

}  // namespace

UnitRollback::UnitRollback(std::string unit, bool user_bus, std::chrono::milliseconds timeout)
    : unit_(std::move(unit)), user_bus_(user_bus), timeout_(timeout) {}

std::string UnitRollback::describe() const {
  return "StartUnit " + unit_ + (user_bus_ ? " (user bus)" : " (system bus)");
}

RollbackResult UnitRollback::run(std::stop_token stop) {
  try {
    RollbackResult r = start_and_wait(std::move(stop));
    r.detail = one_line(r.detail);
    return r;
  } catch (const std::exception& e) {  // bad_alloc: the caller is promised no exceptions
    return {false, std::string("rollback unit: ") + e.what()};
  }
}

RollbackResult UnitRollback::start_and_wait(std::stop_token stop) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + timeout_;
  const std::string bus_name = user_bus_ ? "user" : "system";
  auto failed = [](std::string what, int r) {
    return RollbackResult{false, what + ": " + std::strerror(-r)};
  };

  // Declared before the bus and the slots, so it outlives every callback that points to it.
  JobWait wait;
  sd_bus* raw_bus = nullptr;
  int r = user_bus_ ? sd_bus_open_user(&raw_bus) : sd_bus_open_system(&raw_bus);
  Bus bus(raw_bus);
  if (r < 0) return failed("cannot connect to the " + bus_name + " bus", r);

  // The match goes in before StartUnit is sent, so the job's JobRemoved cannot slip past.
  sd_bus_slot* raw_match = nullptr;
  r = sd_bus_match_signal(bus.get(), &raw_match, kSystemd, kManagerPath, kManager, "JobRemoved",
                          on_job_removed, &wait);
  BusSlot match(raw_match);
  if (r < 0) return failed("JobRemoved match", r);

  // Both calls are queued on one connection, so the manager handles Subscribe first.
  const auto call_timeout =
      std::chrono::duration_cast<std::chrono::microseconds>(timeout_) + std::chrono::seconds(1);
  BusSlot subscribe_call, start_call;
  r = call_async(bus.get(), subscribe_call, "Subscribe", on_subscribed, &wait, call_timeout);
  if (r < 0) return failed("Subscribe", r);
  r = call_async(bus.get(), start_call, "StartUnit", on_started, &wait, call_timeout,
                 unit_.c_str());
  if (r < 0) return failed("StartUnit", r);

  for (;;) {
    if (wait.call_error) return {false, *wait.call_error};
    if (wait.result) return {*wait.result == "done", "job " + *wait.result};
    if (stop.stop_requested())
      return {false, "stopped before the job finished" +
                         (wait.job ? " (" + *wait.job + " left to systemd)" : std::string())};
    const auto now = Clock::now();
    if (now >= deadline)
      return {false, "timed out after " + config::format_duration(timeout_) +
                         (wait.job ? " waiting for " + *wait.job + " (left to systemd)"
                                   : std::string(" waiting for the StartUnit reply"))};
    r = sd_bus_process(bus.get(), nullptr);
    if (r < 0) return failed("the " + bus_name + " bus", r);
    if (r > 0) continue;  // more may be queued
    const auto slice = std::min<Clock::duration>(kSlice, deadline - now);
    r = sd_bus_wait(bus.get(),
                    static_cast<std::uint64_t>(
                        std::chrono::duration_cast<std::chrono::microseconds>(slice).count()));
    if (r < 0 && r != -EINTR) return failed("the " + bus_name + " bus", r);
  }
}

}  // namespace patchparty::rollback
