// patchpartyd's HTTP server: civetweb (the one prometheus-cpp embeds) serving a Router on the
// `listen` address, /metrics and the API alike. Owning: the destructor stops civetweb and joins
// its threads, so no handler runs once the server is gone.
//
// Kept small and local on purpose: a few worker threads, a per-request timeout, no document
// root (so no file is ever served) and no directory listing, no keep-alive (a slow client holds
// one thread for one request at most).
//
// A body over the limit is refused (413) from its Content-Length before any of it is read or
// buffered. civetweb then still reads and discards what the client goes on sending before it
// closes the connection (it has no public way to skip that), so a client that announces a large
// body and stalls holds its thread until request_timeout.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "exporters/http/router.h"

class CivetServer;

namespace patchparty::http {

// HTTPS on the listening port (api.tls). The key and certificate are read once at start.
struct HttpTlsOptions {
  std::string cert_file;       // PEM: the server's certificate, then any intermediates
  std::string key_file;        // PEM: its private key
  std::string client_ca_file;  // PEM: when set, clients must present a certificate it signed
};

struct HttpServerOptions {
  std::string listen = "127.0.0.1:9877";  // HOST:PORT; port 0 picks a free one
  std::optional<HttpTlsOptions> tls;
  int threads = 4;
  std::chrono::milliseconds request_timeout{5000};
};

// `listen` ("HOST:PORT", ":PORT", "0.0.0.0:PORT") accepts connections from other machines: any
// host but 127.0.0.0/8, localhost and [::1].
bool listens_beyond_loopback(std::string_view listen);

class HttpServer {
 public:
  // Listens at once; unavailable when the address cannot be bound (taken, not local),
  // invalid_argument when the TLS files cannot be read or do not make a working server (the
  // message says which and, from civetweb, why). The router must outlive the server.
  [[nodiscard]] static Result<std::unique_ptr<HttpServer>> start(const HttpServerOptions& options,
                                                                 Router& router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound ports; the real one when `listen` asked for port 0.
  std::vector<int> ports() const;

 private:
  class Adapter;
  HttpServer(std::unique_ptr<Adapter> adapter, std::unique_ptr<CivetServer> server,
             std::string wake_host, int pem_fd);
  std::string wake_host_;
  int pem_fd_ = -1;  // the memfd civetweb reads the key and certificate from; closed last  // an
                     // IPv4 address a connection to the bound port can reach
  // Declared first, destroyed last: civetweb's threads use it until the server is closed.
  std::unique_ptr<Adapter> adapter_;
  std::unique_ptr<CivetServer> server_;
};

}  // namespace patchparty::http
