#include "collectors/restart/proc_maps.h"

#include <gtest/gtest.h>

#include <string>

namespace patchparty::restart {
namespace {

// Shaped like a real /proc/PID/maps of a Debian 12 process after an upgrade of zlib and libssl.
constexpr std::string_view kMaps =
    "55d0c0a00000-55d0c0a02000 r--p 00000000 fe:00 1311001                    /usr/sbin/nginx\n"
    "55d0c0a02000-55d0c0a90000 r-xp 00002000 fe:00 1311001                    /usr/sbin/nginx\n"
    "55d0c1a00000-55d0c1a21000 rw-p 00000000 00:00 0                          [heap]\n"
    "7f1a2c000000-7f1a2c021000 rw-p 00000000 00:00 0 \n"
    "7f1a2d000000-7f1a2d003000 r--p 00000000 fe:00 10994138                   "
    "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13 (deleted)\n"
    "7f1a2d003000-7f1a2d016000 r-xp 00003000 fe:00 10994138                   "
    "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13 (deleted)\n"
    "7f1a2e000000-7f1a2e080000 r--p 00000000 fe:00 1310722                    "
    "/usr/lib/x86_64-linux-gnu/libssl.so.3\n"
    "7f1a2f000000-7f1a2f001000 rw-s 00000000 00:01 2048                       /memfd:wayland-shm "
    "(deleted)\n"
    "7f1a2f100000-7f1a2f200000 rw-s 00000000 00:1a 77                         /dev/shm/sem.x\n"
    "7f1a2f300000-7f1a2f400000 rw-s 00000000 00:01 65538                      /SYSV00000000 "
    "(deleted)\n"
    "7f1a2f500000-7f1a2f600000 r--p 00000000 fe:00 2000                       /usr/share/locale/"
    "locale archive\n"
    "7ffc1a000000-7ffc1a021000 rw-p 00000000 00:00 0                          [stack]\n"
    "7ffc1a1fe000-7ffc1a200000 r--p 00000000 00:00 0                          [vvar]\n"
    "7ffc1a200000-7ffc1a202000 r-xp 00000000 00:00 0                          [vdso]\n"
    "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n";

TEST(ProcMaps, ParsesFileBackedMappingsOncePerPath) {
  auto maps = parse_maps(kMaps);
  ASSERT_EQ(maps.size(), 7u);
  EXPECT_EQ(maps[0], (MappedFile{"/usr/sbin/nginx", 1311001, 0xfe, 0, false}));
  EXPECT_EQ(maps[1],
            (MappedFile{"/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", 10994138, 0xfe, 0, true}));
  EXPECT_EQ(maps[2].path, "/usr/lib/x86_64-linux-gnu/libssl.so.3");
  EXPECT_FALSE(maps[2].deleted);
  EXPECT_EQ(maps[3].path, "/memfd:wayland-shm");
  EXPECT_TRUE(maps[3].deleted);
  EXPECT_EQ(maps[4].path, "/dev/shm/sem.x");
  EXPECT_EQ(maps[4].dev_minor, 0x1au);
  EXPECT_EQ(maps[6].path, "/usr/share/locale/locale archive");  // spaces kept
}

TEST(ProcMaps, SkipsMalformedLinesAndStopsAtTheLineCap) {
  EXPECT_TRUE(parse_maps("garbage\n\n7f-7f r--p 0 zz:00 12 /lib/x.so\n").empty());
  EXPECT_TRUE(parse_maps("7f-7f r--p 0 fe:00 notanumber /lib/x.so\n").empty());
  EXPECT_EQ(parse_maps(kMaps, 2).size(), 1u);  // both lines are nginx
}

TEST(ProcMaps, RecognisesSharedLibraryNames) {
  for (auto p : {"/lib/libz.so", "/lib/libz.so.1", "/usr/lib/libssl.so.3.0.2",
                 "/lib64/ld-linux-x86-64.so.2", "/usr/lib/libpython3.11.so.1.0"})
    EXPECT_TRUE(is_shared_library(p)) << p;
  for (auto p : {"/run/foo.sock", "/lib/x.so.bak", "/data/a.sorted", "/usr/bin/python3", "/.so",
                 "/lib/libz.so.1a"})
    EXPECT_FALSE(is_shared_library(p)) << p;
}

TEST(ProcMaps, IgnoresSharedMemoryAndTemporaryFilesByDefault) {
  const std::vector<std::string> prefixes(std::begin(kDefaultIgnoredPrefixes),
                                          std::end(kDefaultIgnoredPrefixes));
  for (auto p : {"/memfd:wayland-shm", "/dev/shm/sem.x", "/SYSV00000000",
                 "/tmp/libnetty_transport_native_epoll_x86_6412345.so", "/var/tmp/jna/x.so"})
    EXPECT_TRUE(is_ignored_mapping(p, prefixes)) << p;
  EXPECT_FALSE(is_ignored_mapping("/usr/lib/x86_64-linux-gnu/libz.so.1", prefixes));
  EXPECT_FALSE(is_ignored_mapping("/tmp/x.so", {"/memfd:"}));
}

}  // namespace
}  // namespace patchparty::restart
