/* What Debian 12's civetweb (1.15) finds when it loads OpenSSL at run time.
 *
 * civetweb opens "libssl.so" and "libcrypto.so" with dlopen, the names only libssl-dev
 * provides, and looks up SSL_get_peer_certificate, which OpenSSL 3 no longer exports (it became
 * a macro for SSL_get1_peer_certificate). The lookup gives NULL and civetweb calls it on every
 * TLS connection. This library, named libssl.so with that SONAME, is linked into the
 * executables, so glibc hands it to civetweb's dlopen (an already loaded object whose SONAME
 * matches the name asked for); every other function is found in its dependency libssl.so.3. */
#include <openssl/ssl.h>

#undef SSL_get_peer_certificate
X509 *SSL_get_peer_certificate(const SSL *ssl);

/* The caller frees the certificate, as with OpenSSL 1.1's function of this name. */
X509 *SSL_get_peer_certificate(const SSL *ssl) {
  return SSL_get1_peer_certificate(ssl);
}
