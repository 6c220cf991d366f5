// The API over HTTPS (api.tls), with a CA, server and client certificates made by the openssl
// command line, asked by patchparty's own HTTP client as `patchparty fleet` asks it: the right
// CA verifies, another does not; with a client CA, a client without a certificate is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/base/http_client.h"
#include "exporters/http/http_server.h"
#include "tests/support/loopback.h"
#include "tests/support/test_certificates.h"
#include "tests/support/test_data.h"

namespace patchparty::http {
namespace {

namespace fs = std::filesystem;

class HttpTls : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("http-tls");
    testing::make_test_certificates(dir_);
    router_.get("/api/v1/ping", [](const Request&) { return json_response("{\"pong\": true}\n"); });
  }

  Result<std::unique_ptr<HttpServer>> start(bool client_ca) {
    HttpServerOptions o;
    o.listen = "127.0.0.1:0";
    o.tls = HttpTlsOptions{(dir_ / "server.pem").string(), (dir_ / "server.key").string(),
                           client_ca ? (dir_ / "ca.pem").string() : std::string()};
    return HttpServer::start(o, router_);
  }

  Result<HttpResponse> get(int port, const std::string& ca, bool with_client_cert = false,
                           const std::string& scheme = "https") {
    HttpRequest r;
    r.url = scheme + "://127.0.0.1:" + std::to_string(port) + "/api/v1/ping";
    r.timeout = std::chrono::seconds(5);
    r.proxy = HttpProxy::none;
    r.tls.ca_path = ca.empty() ? std::string() : (dir_ / (ca + ".pem")).string();
    if (with_client_cert) {
      r.tls.client_cert = (dir_ / "client.pem").string();
      r.tls.client_key = (dir_ / "client.key").string();
    }
    return http_send(r);
  }

  fs::path dir_;
  Router router_;
};

TEST_F(HttpTls, ServesHttpsThatItsCaVerifies) {
  auto server = start(false);
  ASSERT_OK(server);
  const int port = (*server)->ports().front();
  auto ok = get(port, "ca");
  ASSERT_OK(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_THAT(ok->body, ::testing::HasSubstr("pong"));
  // Another CA's trust does not reach this server; plain HTTP is not answered as HTTP.
  EXPECT_FALSE(get(port, "other-ca").has_value());
  auto plain = get(port, "", false, "http");
  EXPECT_TRUE(!plain.has_value() || plain->status != 200);
}

TEST_F(HttpTls, WithAClientCaRefusesAClientWithoutACertificate) {
  auto server = start(true);
  ASSERT_OK(server);
  const int port = (*server)->ports().front();
  auto refused = get(port, "ca", false);
  EXPECT_FALSE(refused.has_value()) << "status " << refused->status;
  auto ok = get(port, "ca", true);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_F(HttpTls, AKeyThatIsNotTheCertificatesIsRefusedAtStart) {
  HttpServerOptions o;
  o.listen = "127.0.0.1:0";
  o.tls = HttpTlsOptions{(dir_ / "server.pem").string(), (dir_ / "client.key").string(), ""};
  auto mismatch = HttpServer::start(o, router_);
  EXPECT_ERRC(mismatch, Errc::invalid_argument);
  o.tls->key_file = (dir_ / "missing.key").string();
  auto missing = HttpServer::start(o, router_);
  EXPECT_ERRC(missing, Errc::invalid_argument);
  EXPECT_THAT(missing.error().message, ::testing::HasSubstr("api.tls.key_file"));
}

}  // namespace
}  // namespace patchparty::http
