// The sd_notify(3) protocol towards systemd: READY, STATUS, WATCHDOG, RELOADING, STOPPING.
// Every call is a no-op when NOTIFY_SOCKET is unset, so the daemon runs the same by hand.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace patchparty::lifecycle {

class SdNotifier {
 public:
  SdNotifier();
  bool enabled() const { return enabled_; }
  void ready(std::string_view status);
  void status(std::string_view status);
  void reloading();
  void stopping();
  void watchdog();
  // Half of WATCHDOG_USEC when systemd asked for keep-alives for this process, as
  // sd_watchdog_enabled advises, so one late ping does not get us killed.
  std::optional<std::chrono::microseconds> watchdog_ping_interval() const { return ping_interval_; }

 private:
  void send(std::string_view message);
  bool enabled_ = false;
  std::optional<std::chrono::microseconds> ping_interval_;
};

}  // namespace patchparty::lifecycle
