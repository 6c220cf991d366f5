// sd-bus for talking to systemd's manager: the bus (system or user), the org.freedesktop.systemd1
// names in one place, and calls whose -r and sd_bus_error become an Error here, once. Used by the
// rollback unit (StartUnit and JobRemoved), the systemd_unit health check (unit properties) and
// the restart check (GetUnitByPID).
//
// An sd_bus is not thread-safe: every thread that talks to systemd opens its own Bus and passes
// it to these functions; none of them keeps or shares one.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/base/c_handles.h"
#include "core/base/result.h"

namespace patchparty {

// Which manager: the config's `bus: system|user`.
enum class BusKind { system, user };

std::string_view bus_kind_name(BusKind kind);  // "system", "user"

namespace systemd1 {
inline constexpr const char* kDestination = "org.freedesktop.systemd1";
inline constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
inline constexpr const char* kManagerInterface = "org.freedesktop.systemd1.Manager";
inline constexpr const char* kUnitInterface = "org.freedesktop.systemd1.Unit";
inline constexpr const char* kServiceInterface = "org.freedesktop.systemd1.Service";
// The manager's error names that callers answer differently from "the bus failed".
inline constexpr const char* kNoSuchUnit = "org.freedesktop.systemd1.NoSuchUnit";
inline constexpr const char* kNoUnitForPid = "org.freedesktop.systemd1.NoUnitForPID";
inline constexpr const char* kNoSuchProcess = "org.freedesktop.systemd1.NoSuchProcess";
}  // namespace systemd1

// A failed bus call: the Error ("GetUnit: org.freedesktop.systemd1.NoSuchUnit: Unit x not
// loaded.") and the reply's D-Bus error name, "" when no error reply came (no bus, a timeout
// before any answer). It converts to a plain Error where the name no longer matters.
struct BusFailure : Error {
  std::string dbus_name;

  bool is(std::string_view name) const { return dbus_name == name; }
};

template <class T = void>
using BusResult = tl::expected<T, BusFailure>;

// A connection of this thread's own. A bus that is not there (no socket, nobody listening) is
// `unavailable`: "cannot connect to the user bus: No such file or directory".
[[nodiscard]] Result<Bus> open_bus(BusKind kind);
// A bus at a D-Bus address ("unix:path=/run/user/1000/bus"): a manager reached over a socket
// other than the default ones, and tests.
[[nodiscard]] Result<Bus> open_bus_at(const std::string& address);
// Method calls on `bus` give up after `timeout` instead of sd-bus's default 25 s.
void set_call_timeout(sd_bus* bus, std::chrono::microseconds timeout);

// The one mapping of a failed call: `error` when the reply carried one, else -r. The manager's
// "no such ..." names are not_found; the rest follow the errno sd-bus gives them.
BusFailure bus_failure(std::string_view what, const sd_bus_error* error, int r);
// The same for an asynchronous call's reply that is a method error.
BusFailure reply_failure(std::string_view what, sd_bus_message* reply);

// A Manager method call ("GetUnit", "s", name) and its reply. Arguments go through C varargs
// as sd-bus's `types` say: scalars and C strings only.
template <class... Args>
[[nodiscard]] BusResult<BusMessage> call_manager(sd_bus* bus, const char* method, const char* types,
                                                 Args... args) {
  static_assert((std::is_scalar_v<Args> && ...), "sd-bus varargs take scalars and C strings");
  BusError error;
  sd_bus_message* raw = nullptr;
  const int r =
      sd_bus_call_method(bus, systemd1::kDestination, systemd1::kManagerPath,
                         systemd1::kManagerInterface, method, &error, &raw, types, args...);
  BusMessage reply(raw);
  if (r < 0) return tl::make_unexpected(bus_failure(method, &error, r));
  return reply;
}

// A Manager method call whose reply goes to `on_reply` once the caller's loop processes the bus;
// the returned slot owns the pending call, and dropping it cancels the call.
[[nodiscard]] Result<BusMessage> new_manager_call(sd_bus* bus, const char* method);
[[nodiscard]] Result<BusSlot> send_async(sd_bus* bus, sd_bus_message* call,
                                         sd_bus_message_handler_t on_reply, void* userdata,
                                         std::chrono::microseconds timeout, std::string_view what);
template <class... Args>
[[nodiscard]] Result<BusSlot> call_manager_async(sd_bus* bus, const char* method,
                                                 sd_bus_message_handler_t on_reply, void* userdata,
                                                 std::chrono::microseconds timeout,
                                                 const char* types, Args... args) {
  static_assert((std::is_scalar_v<Args> && ...), "sd-bus varargs take scalars and C strings");
  PP_TRY(call, new_manager_call(bus, method));
  if (const int r = sd_bus_message_append(call.get(), types, args...); r < 0)
    return tl::make_unexpected(errno_error(r, method));
  return send_async(bus, call.get(), on_reply, userdata, timeout, method);
}

// A subscription to one of the Manager's signals ("JobRemoved") until the slot is dropped.
[[nodiscard]] Result<BusSlot> match_manager_signal(sd_bus* bus, const char* member,
                                                   sd_bus_message_handler_t on_signal,
                                                   void* userdata);

// A unit's object path: GetUnit (loaded units only; NoSuchUnit otherwise) and GetUnitByPID
// (NoUnitForPID, NoSuchProcess).
[[nodiscard]] BusResult<std::string> get_unit(sd_bus* bus, const std::string& unit);
[[nodiscard]] BusResult<std::string> get_unit_by_pid(sd_bus* bus, std::uint32_t pid);

// Properties of the unit at `path`, on `interface` (systemd1::kUnitInterface, kServiceInterface).
// Errors name the property: "ActiveState: org.freedesktop.DBus.Error.UnknownObject: ...".
[[nodiscard]] BusResult<std::string> unit_string_property(sd_bus* bus, const std::string& path,
                                                          const char* interface, const char* name);
[[nodiscard]] BusResult<std::uint32_t> unit_uint32_property(sd_bus* bus, const std::string& path,
                                                            const char* interface,
                                                            const char* name);

}  // namespace patchparty
