// A real HTTP server on 127.0.0.1 that keeps every POSTed body: an Alertmanager stand-in for
// the sender's tests, and a webhook receiver for Alertmanager's own notifications.
#pragma once

#include <CivetServer.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace patchparty::testing {

struct Posted {
  std::string path, content_type, body;
};

class PostCollector : public CivetHandler {
 public:
  PostCollector() {
    std::vector<std::string> options = {"listening_ports",   "127.0.0.1:0", "num_threads", "4",
                                        "enable_keep_alive", "no"};
    server_ = std::make_unique<CivetServer>(options);
    server_->addHandler("/", this);
    port_ = server_->getListeningPorts().at(0);
  }
  ~PostCollector() override {
    server_->removeHandler("/");
    server_.reset();
  }

  int port() const { return port_; }
  std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // The status later POSTs are answered with (default 200).
  void set_status(int status) {
    std::lock_guard lock(mu_);
    status_ = status;
  }
  std::vector<Posted> posts() {
    std::lock_guard lock(mu_);
    return posts_;
  }
  std::size_t count() {
    std::lock_guard lock(mu_);
    return posts_.size();
  }
  // Polls until `done(posts())` holds or `timeout` passes; returns whether it held.
  bool wait_for(const std::function<bool(const std::vector<Posted>&)>& done,
                std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (done(posts())) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  bool handlePost(CivetServer*, mg_connection* conn) override {
    const mg_request_info* info = mg_get_request_info(conn);
    Posted p;
    p.path = info->local_uri ? info->local_uri : "/";
    const char* type = mg_get_header(conn, "Content-Type");
    p.content_type = type ? type : "";
    char buf[8192];
    for (int n; (n = mg_read(conn, buf, sizeof buf)) > 0;) p.body.append(buf, n);
    int status = 200;
    {
      std::lock_guard lock(mu_);
      posts_.push_back(std::move(p));
      status = status_;
    }
    mg_printf(conn, "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status);
    return true;
  }

 private:
  std::unique_ptr<CivetServer> server_;
  int port_ = 0;
  std::mutex mu_;
  int status_ = 200;
  std::vector<Posted> posts_;
};

}  // namespace patchparty::testing
