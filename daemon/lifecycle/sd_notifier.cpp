#include "daemon/lifecycle/sd_notifier.h"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdlib>
#include <string>

#include "core/base/log.h"

namespace patchparty::lifecycle {

namespace {
std::string monotonic_usec() {
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return std::to_string(static_cast<long long>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000);
}
}  // namespace

SdNotifier::SdNotifier() {
  enabled_ = std::getenv("NOTIFY_SOCKET") != nullptr;
  std::uint64_t usec = 0;
  // unset_environment=0: children started by checks must not inherit it, but we read it once
  // here and spawn children with an explicit environment.
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    ping_interval_ = std::chrono::microseconds(usec / 2);
}

void SdNotifier::send(std::string_view message) {
  if (!enabled_) return;
  int r = sd_notify(0, std::string(message).c_str());
  if (r < 0) log::warning("sd_notify failed: " + std::to_string(-r));
}

void SdNotifier::ready(std::string_view status) {
  send("READY=1\nSTATUS=" + std::string(status));
}
void SdNotifier::status(std::string_view status) {
  send("STATUS=" + std::string(status));
}
// RELOADING=1 with MONOTONIC_USEC is what Type=notify-reload expects; older systemd ignores it.
void SdNotifier::reloading() {
  send("RELOADING=1\nMONOTONIC_USEC=" + monotonic_usec());
}
void SdNotifier::stopping() {
  send("STOPPING=1");
}
void SdNotifier::watchdog() {
  send("WATCHDOG=1");
}

}  // namespace patchparty::lifecycle
