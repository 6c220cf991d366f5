#include <cstdio>

int main() {
  std::puts("patchpartyd");
  return 0;
}
