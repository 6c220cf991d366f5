#include "exporters/http/http_server.h"
#include "core/base/unix_time.h"

#include <CivetServer.h>
#include <arpa/inet.h>
#include <netinet/in.h>
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
  const std::vector<std::string> civet_options = {
      "listening_ports", options.listen,
      "num_threads", std::to_string(options.threads),
      "request_timeout_ms", std::to_string(options.request_timeout.count()),
      "enable_directory_listing", "no",
      "enable_keep_alive", "no",
      // Unread bytes of a refused body would otherwise turn the close into a reset that can
      // destroy the 413 before the client reads it.
      "linger_timeout_ms", "1000",
  };
  // clang-format on
  auto adapter = std::make_unique<Adapter>(router);
  try {
    auto server = std::make_unique<CivetServer>(civet_options);
    server->addHandler("**", adapter.get());
    return std::unique_ptr<HttpServer>(
        new HttpServer(std::move(adapter), std::move(server), wake_host_for(options.listen)));
  } catch (const std::exception& e) {
    // civetweb reports a bind failure as CivetException (a std::runtime_error).
    return fail(Errc::unavailable, "cannot listen on " + options.listen + ": " + e.what());
  }
}

HttpServer::HttpServer(std::unique_ptr<Adapter> adapter, std::unique_ptr<CivetServer> server,
                       std::string wake_host)
    : wake_host_(std::move(wake_host)), adapter_(std::move(adapter)), server_(std::move(server)) {}

HttpServer::~HttpServer() {
  const std::vector<int> ports = server_->getListeningPorts();
  std::jthread waker([this, ports] {
    // After close() has raised civetweb's stop flag, which it does first.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (int port : ports) wake(wake_host_, port);
  });
  server_->close();
}

std::vector<int> HttpServer::ports() const {
  return server_->getListeningPorts();
}

}  // namespace patchparty::http
