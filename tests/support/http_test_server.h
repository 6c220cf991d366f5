// A real HTTP/1.1 server on 127.0.0.1 for tests (civetweb, which prometheus-cpp already brings).
// Each path is a Route the test describes: a body, or one of the failures feeds meet in the wild.
#pragma once

#include <CivetServer.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace patchparty::testing {

struct Route {
  int status = 200;
  std::string body;
  std::string content_type = "application/octet-stream";
  std::string etag;           // served, and answered with 304 when If-None-Match matches
  std::string last_modified;  // served, and answered with 304 when If-Modified-Since matches
  bool gzip = false;          // Content-Encoding: gzip when the client accepts it
  bool truncate = false;      // announce the full length, send half, close
  int fail_first = 0;         // answer fail_status this many times before succeeding
  int fail_status = 503;
  std::string location;                // with status 301/302: where to go
  std::chrono::milliseconds delay{0};  // before the response: for timeouts
  std::string retry_after;             // Retry-After header on failures
};

struct SeenRequest {
  std::string path, if_none_match, if_modified_since, user_agent, accept_encoding;
  std::string method, body;
  std::string query;                           // after '?', as sent; empty without one
  std::map<std::string, std::string> headers;  // every request header, as sent
  std::uint64_t bytes_sent = 0;                // body bytes of the answer (after any gzip)
};

inline std::string gzip_bytes(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

class HttpTestServer : public CivetHandler {
 public:
  HttpTestServer() {
    std::vector<std::string> options = {"listening_ports",   "127.0.0.1:0", "num_threads", "4",
                                        "enable_keep_alive", "no"};
    server_ = std::make_unique<CivetServer>(options);
    server_->addHandler("/", this);
    port_ = server_->getListeningPorts().at(0);
  }
  ~HttpTestServer() override {
    server_->removeHandler("/");
    server_.reset();
  }

  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  // `path` may carry a query ("/api?startIndex=2&n=1"): a request with exactly that query gets
  // this route rather than its path's.
  void set(const std::string& path, Route r) {
    std::lock_guard lock(mu_);
    routes_[path] = std::move(r);
    served_[path] = 0;
    hits_[path] = 0;
  }
  int hits(const std::string& path) {
    std::lock_guard lock(mu_);
    return hits_[path];
  }
  // Body bytes answered to every request so far, as a client pays for them.
  std::uint64_t bytes_sent() {
    std::lock_guard lock(mu_);
    std::uint64_t total = 0;
    for (const auto& s : seen_) total += s.bytes_sent;
    return total;
  }
  std::vector<SeenRequest> requests() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  bool handleGet(CivetServer*, mg_connection* conn) override { return serve(conn, ""); }
  // A POST is answered as a GET of its path would be, after its body is read and kept.
  bool handlePost(CivetServer*, mg_connection* conn) override {
    std::string body;
    char buf[8192];
    for (int n; (n = mg_read(conn, buf, sizeof buf)) > 0;) body.append(buf, n);
    return serve(conn, body);
  }

 private:
  bool serve(mg_connection* conn, const std::string& request_body) {
    const mg_request_info* info = mg_get_request_info(conn);
    std::string path = info->local_uri ? info->local_uri : "/";
    auto header = [&](const char* name) {
      const char* v = mg_get_header(conn, name);
      return std::string(v ? v : "");
    };
    Route r;
    int served = 0;
    std::size_t seen_index = 0;
    {
      std::lock_guard lock(mu_);
      SeenRequest seen{path, header("If-None-Match"), header("If-Modified-Since"),
                       header("User-Agent"), header("Accept-Encoding")};
      seen.method = info->request_method ? info->request_method : "";
      seen.body = request_body;
      seen.query = info->query_string ? info->query_string : "";
      for (int i = 0; i < info->num_headers; ++i)
        seen.headers[info->http_headers[i].name] = info->http_headers[i].value;
      const std::string with_query = seen.query.empty() ? path : path + "?" + seen.query;
      seen_index = seen_.size();
      seen_.push_back(std::move(seen));
      auto it = routes_.find(with_query);
      if (it != routes_.end()) {
        path = with_query;
      } else {
        it = routes_.find(path);
      }
      ++hits_[path];
      if (it == routes_.end()) {
        mg_printf(conn, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return true;
      }
      r = it->second;
      served = served_[path]++;
    }
    if (r.delay.count() > 0) std::this_thread::sleep_for(r.delay);
    if (served < r.fail_first) {
      std::string extra = r.retry_after.empty() ? "" : "Retry-After: " + r.retry_after + "\r\n";
      mg_printf(conn,
                "HTTP/1.1 %d Failing\r\nContent-Length: 0\r\n%sConnection: "
                "close\r\n\r\n",
                r.fail_status, extra.c_str());
      return true;
    }
    if (!r.location.empty()) {
      mg_printf(
          conn,
          "HTTP/1.1 %d Moved\r\nLocation: %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
          r.status, r.location.c_str());
      return true;
    }
    bool fresh = (!r.etag.empty() && header("If-None-Match") == r.etag) ||
                 (!r.last_modified.empty() && header("If-Modified-Since") == r.last_modified);
    std::string validators;
    if (!r.etag.empty()) validators += "ETag: " + r.etag + "\r\n";
    if (!r.last_modified.empty()) validators += "Last-Modified: " + r.last_modified + "\r\n";
    if (fresh && r.status == 200) {
      mg_printf(conn, "HTTP/1.1 304 Not Modified\r\n%sConnection: close\r\n\r\n",
                validators.c_str());
      return true;
    }
    std::string body = r.body;
    std::string encoding;
    if (r.gzip && header("Accept-Encoding").find("gzip") != std::string::npos) {
      body = gzip_bytes(body);
      encoding = "Content-Encoding: gzip\r\n";
    }
    // A single "bytes=FIRST-[LAST]" range of a plain 200 body, as object stores serve them.
    if (const std::string range = header("Range");
        r.status == 200 && encoding.empty() && !r.truncate && range.starts_with("bytes=")) {
      const std::size_t dash = range.find('-');
      const std::uint64_t first = std::stoull(range.substr(6, dash - 6));
      std::uint64_t last =
          dash + 1 < range.size() ? std::stoull(range.substr(dash + 1)) : body.size() - 1;
      if (first >= body.size()) {
        mg_printf(conn,
                  "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */%zu\r\n"
                  "Content-Length: 0\r\nConnection: close\r\n\r\n",
                  body.size());
        return true;
      }
      last = std::min<std::uint64_t>(last, body.size() - 1);
      const std::string part = body.substr(first, last - first + 1);
      mg_printf(conn,
                "HTTP/1.1 206 Partial Content\r\nContent-Type: %s\r\nContent-Range: bytes "
                "%llu-%llu/%zu\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
                r.content_type.c_str(), static_cast<unsigned long long>(first),
                static_cast<unsigned long long>(last), body.size(), part.size(),
                validators.c_str());
      mg_write(conn, part.data(), part.size());
      count_sent(seen_index, part.size());
      return true;
    }
    std::size_t send = r.truncate ? body.size() / 2 : body.size();
    mg_printf(conn,
              "HTTP/1.1 %d X\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s%sConnection: "
              "close\r\n\r\n",
              r.status, r.content_type.c_str(), body.size(), encoding.c_str(), validators.c_str());
    mg_write(conn, body.data(), send);
    count_sent(seen_index, send);
    return true;
  }

  void count_sent(std::size_t index, std::uint64_t bytes) {
    std::lock_guard lock(mu_);
    if (index < seen_.size()) seen_[index].bytes_sent = bytes;
  }

  std::unique_ptr<CivetServer> server_;
  int port_ = 0;
  std::mutex mu_;
  std::map<std::string, Route> routes_;
  std::map<std::string, int> served_, hits_;
  std::vector<SeenRequest> seen_;
};

}  // namespace patchparty::testing
