// patchpartyd as systemd runs it: notify socket, watchdog, SIGHUP reload, SIGTERM stop.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <fstream>

#include "tests/support/http_test_server.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::write_file;

// The systemd side of sd_notify(3): a datagram socket the daemon writes its state to.
class NotifySocket {
 public:
  explicit NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    std::filesystem::remove(path_);
    bound_ = ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{0, 100000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~NotifySocket() { ::close(fd_); }
  bool bound() const { return bound_; }
  const std::filesystem::path& path() const { return path_; }

  // Waits for a datagram containing `needle`; keeps everything received in `seen()`.
  bool wait_for(std::string_view needle, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) continue;
      std::string msg(buf, static_cast<std::size_t>(n));
      seen_.push_back(msg);
      if (msg.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  std::string seen() const {
    std::string all;
    for (const auto& s : seen_) all += s + "|";
    return all;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool bound_ = false;
  std::vector<std::string> seen_;
};

bool wait_for_log(testing::Subprocess& d, std::string_view needle, std::chrono::milliseconds t) {
  auto deadline = std::chrono::steady_clock::now() + t;
  while (std::chrono::steady_clock::now() < deadline) {
    if (d.err().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(DaemonLifecycle, NotifiesReloadsAndStopsCleanly) {
  auto dir = testing::temp_dir("lifecycle");
  NotifySocket notify(dir / "notify.sock");
  ASSERT_TRUE(notify.bound());
  write_file(dir / "pp.yml", "log_level: debug\nfeeds: []\ninventory:\n  interval: 1h\n");
  testing::Subprocess d({PATCHPARTYD_BIN, "--config", (dir / "pp.yml").string(), "--state-dir",
                         (dir / "state").string()},
                        {{"NOTIFY_SOCKET", notify.path().string()}, {"WATCHDOG_USEC", "200000"}},
                        dir / "out", dir / "err");
  ASSERT_GT(d.pid(), 0);
  ASSERT_TRUE(notify.wait_for("READY=1", 10s)) << notify.seen() << d.err();
  ASSERT_TRUE(notify.wait_for("WATCHDOG=1", 5s)) << notify.seen();
  EXPECT_TRUE(std::filesystem::exists(dir / "state" / "patchparty.db"));
  // The first inventory runs at start and is stored.
  EXPECT_TRUE(wait_for_log(d, "job inventory: done", 30s)) << d.err();

  // A broken config on SIGHUP: the daemon keeps running on the previous one and says why.
  write_file(dir / "pp.yml", "inventory:\n  interval: soon\n");
  d.signal(SIGHUP);
  ASSERT_TRUE(notify.wait_for("RELOADING=1", 5s)) << notify.seen();
  ASSERT_TRUE(notify.wait_for("READY=1", 5s)) << notify.seen();
  EXPECT_TRUE(wait_for_log(d, "keeping the previous one", 5s)) << d.err();
  EXPECT_THAT(d.err(), HasSubstr("pp.yml:2:13: inventory.interval: bad duration 'soon'"));
  EXPECT_TRUE(d.running());

  // A valid one is taken.
  write_file(dir / "pp.yml", "feeds: []\ninventory:\n  interval: 2h\n");
  d.signal(SIGHUP);
  EXPECT_TRUE(wait_for_log(d, "configuration reloaded", 5s)) << d.err();
  EXPECT_TRUE(d.running());

  auto stop_started = std::chrono::steady_clock::now();
  d.signal(SIGTERM);
  auto code = d.wait(5s);
  ASSERT_TRUE(code.has_value()) << "patchpartyd did not exit within 5 s of SIGTERM";
  EXPECT_EQ(*code, 0) << d.err();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 5s);
  EXPECT_TRUE(notify.wait_for("STOPPING=1", 1s)) << notify.seen();
  // Every log line carries a syslog priority prefix for journald.
  std::istringstream lines(d.err());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == ' ' || line.find(':') == 0) continue;
    if (line[0] != '<') continue;  // continuation lines of a multi-line message
    EXPECT_TRUE(line.size() > 3 && line[2] == '>' && line[1] >= '0' && line[1] <= '7') << line;
    ++count;
  }
  EXPECT_GT(count, 3);
}

// SIGTERM in the middle of a slow download: the job is cancelled and the daemon exits 0 in time.
TEST(DaemonLifecycle, StopsWithin5sDuringASlowFeedDownload) {
  testing::HttpTestServer server;
  server.set("/slow.json", testing::Route{.body = "{}", .delay = std::chrono::seconds(8)});
  auto dir = testing::temp_dir("slowfeed");
  write_file(dir / "pp.yml",
             "log_level: debug\ninventory: {dpkg: {enabled: false}}\nfeeds:\n"
             "  - kind: kev\n    url: " +
                 server.url("/slow.json") + "\n");
  testing::Subprocess d = testing::start_patchpartyd(dir);
  ASSERT_TRUE(wait_for_log(d, "job feed:kev: started", 10s)) << d.err();
  std::this_thread::sleep_for(300ms);
  auto stop_started = std::chrono::steady_clock::now();
  d.signal(SIGTERM);
  auto code = d.wait(5s);
  ASSERT_TRUE(code.has_value()) << "no exit within 5 s: " << d.err();
  EXPECT_EQ(*code, 0) << d.err();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 5s);
  EXPECT_THAT(d.err(), HasSubstr("stopped"));
}

TEST(DaemonLifecycle, InvalidConfigAtStartExitsTwoNamingThePlace) {
  auto dir = testing::temp_dir("badconfig");
  write_file(dir / "pp.yml", "listen: 127.0.0.1:9877\ninventroy: {}\n");
  auto r = testing::run(testing::patchpartyd_argv(dir), dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("pp.yml:2:1: inventroy: unknown key"));
}

TEST(DaemonLifecycle, NewerSchemaRefusesToStartAndLeavesTheFileAlone) {
  auto dir = testing::temp_dir("newer");
  std::filesystem::create_directories(dir / "state");
  auto db_path = dir / "state" / "patchparty.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE future(x); PRAGMA user_version = 999;", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto before = testing::Subprocess::slurp(db_path);
  auto r = testing::run({PATCHPARTYD_BIN, "--state-dir", (dir / "state").string()}, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("999"));
  EXPECT_THAT(r.err, HasSubstr("newer"));
  EXPECT_EQ(testing::Subprocess::slurp(db_path), before);
  EXPECT_FALSE(std::filesystem::exists(dir / "state" / "patchparty.db-wal"));
}

}  // namespace
}  // namespace patchparty
