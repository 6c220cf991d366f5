// Owning handles for the C libraries we use: one deleter template, one alias per C type.
// A C out-parameter lands in a raw local and is adopted on the next line.
#pragma once

#include <curl/curl.h>
#include <sqlite3.h>
#include <systemd/sd-bus.h>

#include <cstdio>
#include <memory>

namespace patchparty {

template <auto Free>
struct CFree {
  template <class T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using SqliteDb = std::unique_ptr<sqlite3, CFree<sqlite3_close_v2>>;
using SqliteStmt = std::unique_ptr<sqlite3_stmt, CFree<sqlite3_finalize>>;
using Curl = std::unique_ptr<CURL, CFree<curl_easy_cleanup>>;
using CurlHeaders = std::unique_ptr<curl_slist, CFree<curl_slist_free_all>>;
using Bus = std::unique_ptr<sd_bus, CFree<sd_bus_flush_close_unref>>;
using BusMessage = std::unique_ptr<sd_bus_message, CFree<sd_bus_message_unref>>;
using BusSlot = std::unique_ptr<sd_bus_slot, CFree<sd_bus_slot_unref>>;
using File = std::unique_ptr<std::FILE, CFree<std::fclose>>;

struct BusError : sd_bus_error {
  BusError() : sd_bus_error(SD_BUS_ERROR_NULL) {}
  ~BusError() { sd_bus_error_free(this); }
  BusError(const BusError&) = delete;
  BusError& operator=(const BusError&) = delete;
};

}  // namespace patchparty
