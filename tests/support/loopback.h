// Loopback helpers for integration tests: free ports, raw HTTP/1.0 requests (so a test depends
// on nothing of the server's own stack), and finding the real tools on PATH.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>

namespace patchparty::testing {

// A port nobody listens on right now: bound to 0, read back, released.
inline int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

struct HttpResponse {
  int status = 0;                              // 0 when nothing answered
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string raw;
};

// Sends `request` as given (headers, a body or only part of one) over a fresh connection and
// reads until the server closes; for requests a well-behaved client would not make.
// `close_write`: shut the sending side after the request, so a server still waiting for more
// of the body sees the end at once.
inline HttpResponse http_raw(int port, std::string_view request, bool close_write = false) {
  HttpResponse r;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      if (close_write) ::shutdown(fd, SHUT_WR);
      char buf[8192];
      for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0;)
        r.raw.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  const auto head_end = r.raw.find("\r\n\r\n");
  if (head_end == std::string::npos) return r;
  r.body = r.raw.substr(head_end + 4);
  std::istringstream head(r.raw.substr(0, head_end));
  std::string line;
  if (std::getline(head, line)) {
    std::istringstream status_line(line);
    std::string version;
    status_line >> version >> r.status;
  }
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    r.headers[name] = value;
  }
  return r;
}

// One request over a fresh connection; HTTP/1.0, so the server closes after the body.
inline HttpResponse http_request(int port, std::string_view method, std::string_view path,
                                 const std::map<std::string, std::string>& headers = {},
                                 std::string_view body = {}) {
  std::string request =
      std::string(method) + " " + std::string(path) + " HTTP/1.0\r\nHost: 127.0.0.1\r\n";
  for (const auto& [k, v] : headers) request += k + ": " + v + "\r\n";
  if (!body.empty() || method == "POST")
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n";
  request += body;
  return http_raw(port, request);
}

inline HttpResponse http_get(int port, std::string_view path) {
  return http_request(port, "GET", path);
}

// GETs `path` until `done` holds for the response or `timeout` passes; the last response.
template <class Pred>
HttpResponse poll_get(int port, const std::string& path, Pred done,
                      std::chrono::seconds timeout = std::chrono::seconds(30)) {
  HttpResponse r;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    r = http_get(port, path);
    if (done(r)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return r;
}

// The absolute path of `tool` on PATH; empty when it is not installed.
inline std::string find_on_path(std::string_view tool) {
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
  for (std::string dir; std::getline(path, dir, ':');) {
    auto candidate = std::filesystem::path(dir) / tool;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return {};
}

}  // namespace patchparty::testing
