#include <cstdio>

int main() {
  std::puts("patchparty");
  return 0;
}
