#include "daemon/rollback/unit_rollback.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>

#include "core/base/duration.h"
#include "core/base/one_line.h"
#include "core/base/systemd_bus.h"
#include "daemon/rollback/job_wait.h"

namespace patchparty::rollback {

namespace {

// sd_bus_wait slices: a stop request is noticed within this.
constexpr auto kSlice = std::chrono::milliseconds(200);

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
    if (!w->call_error) w->call_error = reply_failure("Subscribe", m).message;
  } catch (const std::exception&) {
    return -ENOMEM;
  }
  return 0;
}

int on_started(sd_bus_message* m, void* userdata, sd_bus_error*) noexcept {
  try {
    auto* w = static_cast<JobWait*>(userdata);
    if (sd_bus_message_is_method_error(m, nullptr)) {
      if (!w->call_error) w->call_error = reply_failure("StartUnit", m).message;
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

}  // namespace

UnitRollback::UnitRollback(std::string unit, BusKind bus, std::chrono::milliseconds timeout)
    : unit_(std::move(unit)), bus_(bus), timeout_(timeout) {}

std::string UnitRollback::describe() const {
  return "StartUnit " + unit_ + " (" + std::string(bus_kind_name(bus_)) + " bus)";
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
  const std::string bus_name(bus_kind_name(bus_));
  auto failed = [](const Error& e) { return RollbackResult{false, e.message}; };

  // Declared before the bus and the slots, so it outlives every callback that points to it.
  JobWait wait;
  auto bus = open_bus(bus_);
  if (!bus) return failed(bus.error());

  // The match goes in before StartUnit is sent, so the job's JobRemoved cannot slip past.
  auto match = match_manager_signal(bus->get(), "JobRemoved", on_job_removed, &wait);
  if (!match) return failed(match.error());

  // Both calls are queued on one connection, so the manager handles Subscribe first.
  const auto call_timeout =
      std::chrono::duration_cast<std::chrono::microseconds>(timeout_) + std::chrono::seconds(1);
  auto subscribe_call =
      call_manager_async(bus->get(), "Subscribe", on_subscribed, &wait, call_timeout, "");
  if (!subscribe_call) return failed(subscribe_call.error());
  auto start_call = call_manager_async(bus->get(), "StartUnit", on_started, &wait, call_timeout,
                                       "ss", unit_.c_str(), "replace");
  if (!start_call) return failed(start_call.error());

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
    int r = sd_bus_process(bus->get(), nullptr);
    if (r < 0) return failed(errno_error(r, "the " + bus_name + " bus"));
    if (r > 0) continue;  // more may be queued
    const auto slice = std::min<Clock::duration>(kSlice, deadline - now);
    r = sd_bus_wait(bus->get(),
                    static_cast<std::uint64_t>(
                        std::chrono::duration_cast<std::chrono::microseconds>(slice).count()));
    if (r < 0 && r != -EINTR) return failed(errno_error(r, "the " + bus_name + " bus"));
  }
}

}  // namespace patchparty::rollback
