/* libcrypto.so for civetweb's dlopen (see libssl_shim.c): nothing of its own, every function
 * comes from its dependency libcrypto.so.3, so TLS needs no development package at run time. */
int pp_libcrypto_shim_present(void);
int pp_libcrypto_shim_present(void) {
  return 1;
}
