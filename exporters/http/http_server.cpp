#include "exporters/http/http_server.h"
#include "core/base/bounded_file.h"
#include "core/base/unix_time.h"

#include <CivetServer.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <exception>
#include <thread>

namespace patchparty::http {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<std::string> read_body(mg_connection* conn, std::int64_t limit) {
  std::string body;
  char buf[8192];
  for (;;) {
    const int n = mg_read(conn, buf, sizeof buf);
    if (n < 0) return fail(Errc::unavailable, "connection lost while reading");
    if (n == 0) return body;
    if (static_cast<std::int64_t>(body.size()) + n > limit)
      return fail(Errc::resource_exhausted, "body over " + std::to_string(limit) + " bytes");
    body.append(buf, static_cast<std::size_t>(n));
  }
}

// Where a local connection to the listening socket goes: its host, or loopback for a wildcard.
std::string wake_host_for(std::string_view listen) {
  const auto colon = listen.rfind(':');
  std::string host(listen.substr(0, colon == std::string_view::npos ? 0 : colon));
  if (host.empty() || host == "0.0.0.0") return "127.0.0.1";
  return host;
}

// civetweb's master thread notices a stop only between polls of the listening socket, every
// 2 s; a connection ends the poll at once. Best effort: if it comes too early or cannot be made,
// the stop takes the 2 s as it would anyway.
void wake(const std::string& host, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) return;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::close(fd);
}

void send(mg_connection* conn, const Response& r, bool head) {
  mg_response_header_start(conn, r.status);
  mg_response_header_add(conn, "Content-Type", r.content_type.c_str(), -1);
  const std::string length = std::to_string(r.body.size());
  mg_response_header_add(conn, "Content-Length", length.c_str(), -1);
  // Every answer is computed from live state: caches must not keep it.
  mg_response_header_add(conn, "Cache-Control", "no-store", -1);
  mg_response_header_add(conn, "X-Content-Type-Options", "nosniff", -1);
  for (const auto& [k, v] : r.headers) mg_response_header_add(conn, k.c_str(), v.c_str(), -1);
  mg_response_header_send(conn);
  if (!head && !r.body.empty()) mg_write(conn, r.body.data(), r.body.size());
}

// civetweb says why a start failed only through its log callback, on the starting thread.
thread_local std::string civet_start_error;

int keep_civet_message(const mg_connection*, const char* message) {
  if (message) civet_start_error = message;
  return 1;  // handled: nothing on stderr
}

constexpr std::uint64_t kMaxPemBytes = 1 << 20;

// civetweb reads key and certificate from one PEM file. They are joined in a memfd, never on
// disk, and civetweb is given its /proc/self/fd path; the fd lives as long as the server.
Result<int> joined_pem(const HttpTlsOptions& tls) {
  auto key = read_bounded_file(tls.key_file, kMaxPemBytes);
  if (!key) return fail(Errc::invalid_argument, "api.tls.key_file: " + key.error().message);
  auto cert = read_bounded_file(tls.cert_file, kMaxPemBytes);
  if (!cert) return fail(Errc::invalid_argument, "api.tls.cert_file: " + cert.error().message);
  const int fd = ::memfd_create("patchparty-tls", MFD_CLOEXEC);
  if (fd < 0) return fail(Errc::unavailable, "memfd_create failed");
  const std::string pem = *key + "\n" + *cert;
  std::size_t done = 0;
  while (done < pem.size()) {
    const ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
    if (n <= 0) {
      ::close(fd);
      return fail(Errc::unavailable, "cannot write the TLS key to its memfd");
    }
    done += static_cast<std::size_t>(n);
  }
  return fd;
}

}  // namespace

bool listens_beyond_loopback(std::string_view listen) {
  const auto colon = listen.rfind(':');
  const std::string_view host = listen.substr(0, colon == std::string_view::npos ? 0 : colon);
  return !(host.starts_with("127.") || host == "localhost" || host == "[::1]");
}

// One handler for every path and method, so the Router alone decides 404 and 405 (civetweb's
// own answers would be HTML).
class HttpServer::Adapter : public CivetHandler {
 public:
  explicit Adapter(Router& router) : router_(router) {}

  bool handleGet(CivetServer*, mg_connection* c, int* status) override { return run(c, status); }
  bool handlePost(CivetServer*, mg_connection* c, int* status) override { return run(c, status); }
  bool handleHead(CivetServer*, mg_connection* c, int* status) override { return run(c, status); }
  bool handlePut(CivetServer*, mg_connection* c, int* status) override { return run(c, status); }
  bool handleDelete(CivetServer*, mg_connection* c, int* status) override { return run(c, status); }
  bool handleOptions(CivetServer*, mg_connection* c, int* status) override {
    return run(c, status);
  }
  bool handlePatch(CivetServer*, mg_connection* c, int* status) override { return run(c, status); }

 private:
  bool run(mg_connection* conn, int* status) {
    const mg_request_info* info = mg_get_request_info(conn);
    Request request;
    request.now = unix_now();
    request.method = info->request_method ? info->request_method : "";
    request.path = info->local_uri ? info->local_uri : "";
    for (int i = 0; i < info->num_headers; ++i)
      request.headers.emplace_back(lower(info->http_headers[i].name),
                                   info->http_headers[i].value ? info->http_headers[i].value : "");
    if (info->content_length >= 0) request.content_length = info->content_length;
    Response response;
    auto query = parse_query(info->query_string ? info->query_string : "");
    if (!query) {
      response = json_error(400, "malformed query string");
    } else {
      request.query = std::move(*query);
      response =
          router_.dispatch(request, [conn](std::int64_t limit) { return read_body(conn, limit); });
    }
    send(conn, response, request.method == "HEAD");
    *status = response.status;
    return true;
  }

  Router& router_;
};

Result<std::unique_ptr<HttpServer>> HttpServer::start(const HttpServerOptions& options,
                                                      Router& router) {
  // clang-format off
  std::vector<std::string> civet_options = {
      "num_threads", std::to_string(options.threads),
      "request_timeout_ms", std::to_string(options.request_timeout.count()),
      "enable_directory_listing", "no",
      "enable_keep_alive", "no",
      // Unread bytes of a refused body would otherwise turn the close into a reset that can
      // destroy the 413 before the client reads it.
      "linger_timeout_ms", "1000",
  };
  // clang-format on
  int pem_fd = -1;
  if (options.tls) {
    auto fd = joined_pem(*options.tls);
    if (!fd) return tl::unexpected(fd.error());
    pem_fd = *fd;
    // The 's' suffix makes the port HTTPS; TLS 1.2 is the oldest offered.
    civet_options.insert(civet_options.end(),
                         {"listening_ports", options.listen + "s", "ssl_certificate",
                          "/proc/self/fd/" + std::to_string(pem_fd), "ssl_protocol_version", "4"});
    if (!options.tls->client_ca_file.empty())
      civet_options.insert(civet_options.end(),
                           {"ssl_verify_peer", "yes", "ssl_ca_file", options.tls->client_ca_file});
  } else {
    civet_options.insert(civet_options.end(), {"listening_ports", options.listen});
  }
  auto adapter = std::make_unique<Adapter>(router);
  CivetCallbacks callbacks{};
  callbacks.log_message = keep_civet_message;
  civet_start_error.clear();
  try {
    auto server = std::make_unique<CivetServer>(civet_options, &callbacks);
    server->addHandler("**", adapter.get());
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(adapter), std::move(server),
                                                      wake_host_for(options.listen), pem_fd));
  } catch (const std::exception& e) {
    if (pem_fd >= 0) ::close(pem_fd);
    // civetweb reports a bind failure as CivetException (a std::runtime_error); its log says
    // what went wrong, such as a key that does not match the certificate.
    const std::string why = civet_start_error.empty() ? e.what() : civet_start_error;
    if (options.tls && why.find("SSL") != std::string::npos)
      return fail(Errc::invalid_argument, "api.tls: " + why);
    return fail(Errc::unavailable, "cannot listen on " + options.listen + ": " + why);
  }
}

HttpServer::HttpServer(std::unique_ptr<Adapter> adapter, std::unique_ptr<CivetServer> server,
                       std::string wake_host, int pem_fd)
    : wake_host_(std::move(wake_host)),
      pem_fd_(pem_fd),
      adapter_(std::move(adapter)),
      server_(std::move(server)) {}

HttpServer::~HttpServer() {
  const std::vector<int> ports = server_->getListeningPorts();
  std::jthread waker([this, ports] {
    // After close() has raised civetweb's stop flag, which it does first.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int port : ports) wake(wake_host_, port);
  });
  server_->close();
  if (pem_fd_ >= 0) ::close(pem_fd_);
}

std::vector<int> HttpServer::ports() const {
  return server_->getListeningPorts();
}

}  // namespace patchparty::http
