#include "core/base/systemd_bus.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace patchparty {

namespace {

// Connecting fails with ENOENT (no socket) or ECONNREFUSED (nobody listening): a bus that is not
// there yet, which the next probe or check may find, not a missing thing the caller asked for.
Error connect_error(int r, std::string_view what) {
  Error e = errno_error(r, what);
  if (e.code == Errc::not_found || e.code == Errc::internal) e.code = Errc::unavailable;
  return e;
}

BusResult<std::string> read_object_path(sd_bus_message* reply, std::string_view what) {
  const char* path = nullptr;
  const int r = sd_bus_message_read(reply, "o", &path);
  if (r < 0 || path == nullptr)
    return tl::make_unexpected(
        BusFailure{errno_error(r < 0 ? r : -EBADMSG, std::string(what) + " reply"), {}});
  return std::string(path);
}

}  // namespace

std::string_view bus_kind_name(BusKind kind) {
  return kind == BusKind::user ? "user" : "system";
}

Result<Bus> open_bus(BusKind kind) {
  sd_bus* raw = nullptr;
  const int r = kind == BusKind::user ? sd_bus_open_user(&raw) : sd_bus_open_system(&raw);
  Bus bus(raw);
  if (r < 0)
    return tl::make_unexpected(
        connect_error(r, "cannot connect to the " + std::string(bus_kind_name(kind)) + " bus"));
  return bus;
}

Result<Bus> open_bus_at(const std::string& address) {
  sd_bus* raw = nullptr;
  int r = sd_bus_new(&raw);
  Bus bus(raw);
  if (r >= 0) r = sd_bus_set_address(bus.get(), address.c_str());
  if (r >= 0) r = sd_bus_set_bus_client(bus.get(), 1);
  if (r >= 0) r = sd_bus_start(bus.get());
  if (r < 0)
    return tl::make_unexpected(connect_error(r, "cannot connect to the bus at " + address));
  return bus;
}

void set_call_timeout(sd_bus* bus, std::chrono::microseconds timeout) {
  sd_bus_set_method_call_timeout(bus, static_cast<std::uint64_t>(timeout.count()));
}

BusFailure bus_failure(std::string_view what, const sd_bus_error* error, int r) {
  if (r == 0) r = -EIO;  // an error reply without an errno still failed
  BusFailure f{errno_error(r, what), {}};
  if (error == nullptr || !sd_bus_error_is_set(error)) return f;
  f.dbus_name = error->name;
  f.message = std::string(what) + ": " + error->name;
  if (error->message && *error->message) f.message += std::string(": ") + error->message;
  // libsystemd maps only the standard D-Bus names to an errno (ServiceUnknown is unreachable,
  // AccessDenied a precondition); the manager's own come back as EIO.
  if (f.is(systemd1::kNoSuchUnit) || f.is(systemd1::kNoUnitForPid) ||
      f.is(systemd1::kNoSuchProcess))
    f.code = Errc::not_found;
  return f;
}

BusFailure reply_failure(std::string_view what, sd_bus_message* reply) {
  return bus_failure(what, sd_bus_message_get_error(reply), -sd_bus_message_get_errno(reply));
}

Result<BusMessage> new_manager_call(sd_bus* bus, const char* method) {
  sd_bus_message* raw = nullptr;
  const int r =
      sd_bus_message_new_method_call(bus, &raw, systemd1::kDestination, systemd1::kManagerPath,
                                     systemd1::kManagerInterface, method);
  BusMessage call(raw);
  if (r < 0) return tl::make_unexpected(errno_error(r, method));
  return call;
}

Result<BusSlot> send_async(sd_bus* bus, sd_bus_message* call, sd_bus_message_handler_t on_reply,
                           void* userdata, std::chrono::microseconds timeout,
                           std::string_view what) {
  sd_bus_slot* raw = nullptr;
  const int r = sd_bus_call_async(bus, &raw, call, on_reply, userdata,
                                  static_cast<std::uint64_t>(timeout.count()));
  BusSlot slot(raw);
  if (r < 0) return tl::make_unexpected(errno_error(r, what));
  return slot;
}

Result<BusSlot> match_manager_signal(sd_bus* bus, const char* member,
                                     sd_bus_message_handler_t on_signal, void* userdata) {
  sd_bus_slot* raw = nullptr;
  const int r = sd_bus_match_signal(bus, &raw, systemd1::kDestination, systemd1::kManagerPath,
                                    systemd1::kManagerInterface, member, on_signal, userdata);
  BusSlot slot(raw);
  if (r < 0) return tl::make_unexpected(errno_error(r, std::string(member) + " match"));
  return slot;
}

BusResult<std::string> get_unit(sd_bus* bus, const std::string& unit) {
  auto reply = call_manager(bus, "GetUnit", "s", unit.c_str());
  if (!reply) return tl::make_unexpected(std::move(reply).error());
  return read_object_path(reply->get(), "GetUnit");
}

BusResult<std::string> get_unit_by_pid(sd_bus* bus, std::uint32_t pid) {
  auto reply = call_manager(bus, "GetUnitByPID", "u", pid);
  if (!reply) return tl::make_unexpected(std::move(reply).error());
  return read_object_path(reply->get(), "GetUnitByPID");
}

BusResult<std::string> unit_string_property(sd_bus* bus, const std::string& path,
                                            const char* interface, const char* name) {
  BusError error;
  char* raw = nullptr;
  const int r = sd_bus_get_property_string(bus, systemd1::kDestination, path.c_str(), interface,
                                           name, &error, &raw);
  std::unique_ptr<char, CFree<std::free>> value(raw);
  if (r < 0) return tl::make_unexpected(bus_failure(name, &error, r));
  return std::string(value ? value.get() : "");
}

BusResult<std::uint32_t> unit_uint32_property(sd_bus* bus, const std::string& path,
                                              const char* interface, const char* name) {
  BusError error;
  std::uint32_t value = 0;
  const int r = sd_bus_get_property_trivial(bus, systemd1::kDestination, path.c_str(), interface,
                                            name, &error, 'u', &value);
  if (r < 0) return tl::make_unexpected(bus_failure(name, &error, r));
  return value;
}

}  // namespace patchparty
